import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { config } from '../config.js';

/** The review workflow (Step Functions); the endpoint comes from the environment (AWS_ENDPOINT_URL_SFN locally). */
const sfn = new SFNClient({ maxAttempts: 6 });

/**
 * Starts the application's workflow, named after the application so that a retry can never start a
 * second one: Step Functions answers a repeated start of a running execution with the same execution,
 * and ExecutionAlreadyExists once it has ended.
 */
export async function startWorkflow(applicationId: string): Promise<void> {
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: config.stateMachineArn,
        name: applicationId,
        input: JSON.stringify({ applicationId }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) throw error;
  }
}

export interface ReviewOutcome {
  decision: 'approve' | 'reject' | 'return';
  amount: string;
  /** The amount now under review reaches the leadership threshold: the LEADERSHIP stage follows. */
  leadershipRequired: boolean;
}

/**
 * Hands a reviewer's decision back to the waiting workflow. Delivering twice is harmless: a token that
 * was already answered (TaskTimedOut) means the workflow has the decision.
 */
export async function resumeWorkflow(taskToken: string, outcome: ReviewOutcome | { resubmitted: true }): Promise<void> {
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(outcome) }));
  } catch (error) {
    if (!(error instanceof TaskTimedOut)) throw error;
  }
}

/** Stops an application's workflow (withdrawn by its owner); one that has already ended is left as it is. */
export async function stopWorkflow(applicationId: string, cause: string): Promise<void> {
  const executionArn = `${config.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`;
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause }));
  } catch (error) {
    if (!(error instanceof ExecutionDoesNotExist)) throw error;
  }
}
