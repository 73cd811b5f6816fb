import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
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

const executionArnOf = (applicationId: string) => `${config.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`;

export interface WorkflowFailure {
  applicationId: string;
  error: string;
  cause: string;
  failedAt: string;
}

/**
 * Workflows that failed after their retries (a step kept throwing): each with its error, for an
 * administrator to look into and redrive. One page per call (Step Functions lists newest first), with
 * the details read in parallel, so that the request stays within API Gateway's 30 s however many
 * executions have failed.
 */
export async function failedWorkflows(limit: number, nextToken?: string): Promise<{ items: WorkflowFailure[]; nextToken?: string }> {
  const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn: config.stateMachineArn, statusFilter: 'FAILED', maxResults: limit, nextToken }));
  const items = await Promise.all(
    (page.executions ?? []).map(async (execution) => {
      const detail = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
      return {
        applicationId: execution.name!,
        error: detail.error ?? '',
        cause: (detail.cause ?? '').slice(0, 1000),
        failedAt: (execution.stopDate ?? new Date()).toISOString(),
      };
    }),
  );
  return { items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/** Restarts a failed workflow from the step that failed. */
export async function redriveWorkflow(applicationId: string): Promise<void> {
  await sfn.send(new RedriveExecutionCommand({ executionArn: executionArnOf(applicationId) }));
}

/** Stops an application's workflow (withdrawn by its owner); one that has already ended is left as it is. */
export async function stopWorkflow(applicationId: string, cause: string): Promise<void> {
  try {
    await sfn.send(new StopExecutionCommand({ executionArn: executionArnOf(applicationId), error: 'Withdrawn', cause }));
  } catch (error) {
    if (!(error instanceof ExecutionDoesNotExist)) throw error;
  }
}
