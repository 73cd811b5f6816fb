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
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { config } from '../config.js';
import type { Decision } from '../domain/vocabulary.js';
import { logger } from '../logger.js';
import { getApplication } from '../store/applications.js';
import { PageTokenError } from '../store/pages.js';
import { type OutboxItem, getOutboxItem, markOutboxDelivered, pendingOutbox, recordOutboxFailure } from '../store/outbox.js';

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
  decision: Decision;
  amount: string;
  /** The amount now under review reaches the leadership threshold: the LEADERSHIP stage follows. */
  leadershipRequired: boolean;
}

const executionArnOf = (applicationId: string) => `${config.stateMachineArn.replace(':stateMachine:', ':execution:')}:${applicationId}`;

export interface WorkflowFailure {
  applicationId: string;
  error: string;
  cause: string;
  failedAt: string;
}

/** The error a workflow failure shows for a workflow call still waiting in the outbox. */
export const UNDELIVERED = 'Undelivered';

/**
 * Workflows that failed after their retries (a step kept throwing): each with its error, for an
 * administrator to look into and redrive. One page per call (Step Functions lists newest first), with
 * the details read in parallel, so that the request stays within API Gateway's 30 s however many
 * executions have failed. The first page also lists the workflow calls still waiting in the outbox,
 * with error `Undelivered:<action>` (the relay keeps delivering them; a redrive makes the call now).
 */
export async function failedWorkflows(limit: number, nextToken?: string): Promise<{ items: WorkflowFailure[]; nextToken?: string }> {
  const undelivered: WorkflowFailure[] = nextToken
    ? []
    : (await pendingOutbox()).map((item) => ({
        applicationId: item.applicationId,
        error: `${UNDELIVERED}:${item.call.action}`,
        cause: item.lastError ?? '',
        failedAt: item.createdAt,
      }));
  const page = await sfn
    .send(new ListExecutionsCommand({ stateMachineArn: config.stateMachineArn, statusFilter: 'FAILED', maxResults: limit, nextToken }))
    .catch((error: Error) => {
      // Step Functions' own page token, passed through: a foreign or garbled one is the caller's error.
      throw error.name === 'InvalidToken' ? new PageTokenError() : error;
    });
  const failed = await Promise.all(
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
  return { items: [...undelivered, ...failed], ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/**
 * Restarts a failed workflow from the step that failed; for an application whose workflow call is still
 * in the outbox (listed as `Undelivered:<action>`), makes that call now instead.
 */
export async function redriveWorkflow(applicationId: string): Promise<void> {
  const pending = (await getApplication(applicationId))?.delivery;
  const item = pending ? await getOutboxItem(pending.outboxId) : undefined;
  if (item) {
    if (!(await deliver(item))) throw new Error(`The workflow call ${item.call.action} of ${applicationId} failed again`);
    return;
  }
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

/**
 * Makes an outbox item's call, idempotently: a start names the execution after the application, a used
 * task token means the workflow has the answer, and a stopped or missing execution needs no stop.
 */
async function call(item: OutboxItem): Promise<void> {
  const { call } = item;
  if (call.action === 'StartExecution') {
    // Withdrawn before its start got through: the stop has nothing to stop, so nothing is started.
    if ((await getApplication(item.applicationId))?.status === 'WITHDRAWN') return;
    return startWorkflow(item.applicationId);
  }
  if (call.action === 'SendTaskSuccess') {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: call.taskToken, output: call.output }));
    } catch (error) {
      // The token was answered already, or its execution ended (stopped): nothing waits for it any more.
      if (!(error instanceof TaskTimedOut || error instanceof TaskDoesNotExist)) throw error;
    }
    return;
  }
  return stopWorkflow(item.applicationId, call.cause);
}

/**
 * Delivers one outbox item and removes it. A failure is recorded on the item (the relay tries again)
 * and reported as false: the state change it follows is committed either way.
 */
export async function deliver(item: OutboxItem): Promise<boolean> {
  try {
    await call(item);
  } catch (error) {
    const reason = `${(error as Error).name}: ${(error as Error).message}`;
    logger.warn('workflow call not delivered', { outboxId: item.id, applicationId: item.applicationId, action: item.call.action, reason });
    await recordOutboxFailure(item, reason).catch(() => undefined);
    return false;
  }
  // Made but not yet marked: the relay makes it again, harmlessly; the request itself has succeeded.
  await markOutboxDelivered(item).catch((error: Error) => logger.warn('outbox item not marked delivered', { outboxId: item.id, reason: error.message }));
  return true;
}

/** Delivers the call an application is waiting for, if any (a client's retry, or the relay). */
export async function deliverPending(application: { delivery?: { outboxId: string } }): Promise<void> {
  if (!application.delivery) return;
  const item = await getOutboxItem(application.delivery.outboxId);
  if (item) await deliver(item);
}
