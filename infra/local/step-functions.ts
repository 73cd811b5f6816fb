import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { prepareDefinition } from './step-functions-definition.js';
import { ServiceError, namedError } from './step-functions-errors.js';
import { type InvokeFunction, ReplayingExecutor } from './step-functions-executor.js';
import { type ExecutionItem, Journal, type Json } from './step-functions-journal.js';
import { type StepFunctionsSecurity, listenStepFunctions } from './step-functions-server.js';
import { TaskTokenWaiters } from './step-functions-waiters.js';

export { JOURNAL_TABLE, JOURNAL_TABLE_DEFINITION } from './step-functions-journal.js';
export type { StepFunctionsSecurity } from './step-functions-server.js';

/**
 * A local Step Functions endpoint (the service's JSON 1.0 protocol) that executes the synthesized ASL
 * with aws-local-stepfunctions and makes up for what that library lacks. The parts:
 * - step-functions-definition.ts: what the library runs (Wait states as journaled tasks; Map and
 *   Parallel refused at load);
 * - step-functions-executor.ts: runs and replays executions against the journal;
 * - step-functions-journal.ts: the journal in DynamoDB, keyed by state name and entry count;
 * - step-functions-waiters.ts: callback tasks waiting for their tokens, and timers longer than Node's;
 * - step-functions-server.ts: the JSON protocol, SigV4 and IAM.
 * This class holds the service's actions. A pending review is never lost across a restart.
 */
export class LocalStepFunctions {
  readonly #journal: Journal;
  readonly #waiters: TaskTokenWaiters;
  readonly #executor: ReplayingExecutor;
  #server?: Server;
  /** State transitions (states entered), as Standard workflows are billed. */
  transitions = 0;
  /**
   * While true the endpoint answers every call with 503, as an outage of the service would (tests of the
   * outbox relay; LOCAL_SFN_OUTAGE=true starts the stack so). Executions already running go on.
   */
  outage = process.env.LOCAL_SFN_OUTAGE === 'true';

  constructor(
    readonly stateMachineArn: string,
    definition: Record<string, unknown>,
    invokeFunction: InvokeFunction,
    dynamoDbEndpoint: string,
    /** Milliseconds between retries per state, instead of the definition's backoff (tests only). */
    retryIntervalOverrides?: Record<string, number>,
    private readonly security?: StepFunctionsSecurity,
    /** The longest single timer of a Wait state (tests only; default just under Node's limit). */
    options: { maxTimerMs?: number } = {},
  ) {
    const prepared = prepareDefinition(definition);
    this.#journal = new Journal(dynamoDbEndpoint, security?.journalCredential ?? { accessKeyId: 'local', secretAccessKey: 'local' });
    this.#waiters = new TaskTokenWaiters(this.#journal);
    this.#executor = new ReplayingExecutor({
      stateMachineArn,
      definition: prepared,
      journal: this.#journal,
      waiters: this.#waiters,
      invokeFunction,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      ...(options.maxTimerMs ? { maxTimerMs: options.maxTimerMs } : {}),
      onStateEntered: () => this.transitions++,
    });
  }

  // ---- the service's actions ----------------------------------------------------------------------

  async startExecution({ stateMachineArn, name, input }: { stateMachineArn: string; name?: string; input?: string }) {
    if (stateMachineArn !== this.stateMachineArn) throw new ServiceError('StateMachineDoesNotExist', `No state machine ${stateMachineArn}`);
    const executionName = name ?? randomBytes(16).toString('hex');
    const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${executionName}`;
    const item: ExecutionItem = { executionArn, name: executionName, input: input ?? '{}', status: 'RUNNING', startDate: new Date().toISOString() };
    if (!(await this.#journal.createExecution(item))) {
      const existing = await this.#journal.execution(executionName);
      // As in AWS: starting a running execution again with the same input is idempotent.
      if (existing && existing.status === 'RUNNING' && existing.input === item.input) {
        return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    }
    this.#executor.run(item);
    return { executionArn, startDate: Date.parse(item.startDate) / 1000 };
  }

  async describeExecution({ executionArn }: { executionArn: string }) {
    const execution = await this.#journal.execution(executionArn.split(':').at(-1)!);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: Date.parse(execution.startDate) / 1000,
      ...(execution.stopDate ? { stopDate: Date.parse(execution.stopDate) / 1000 } : {}),
      input: execution.input,
      ...(execution.output !== undefined ? { output: execution.output } : {}),
      ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
    };
  }

  /** As AWS: newest first, at most maxResults (default 100) per page, an opaque nextToken for the rest. */
  async listExecutions({ statusFilter, maxResults, nextToken }: { statusFilter?: string; maxResults?: number; nextToken?: string }) {
    const executions = (await this.#journal.executions())
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name));
    const offset = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidToken', 'Invalid nextToken');
    const size = maxResults || 100;
    const end = offset + size;
    return {
      ...(end < executions.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
      executions: executions.slice(offset, end).map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: this.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: Date.parse(e.startDate) / 1000,
        ...(e.stopDate ? { stopDate: Date.parse(e.stopDate) / 1000 } : {}),
      })),
    };
  }

  async stopExecution({ executionArn, error, cause }: { executionArn: string; error?: string; cause?: string }) {
    const name = executionArn.split(':').at(-1)!;
    const stopDate = new Date().toISOString();
    if (!(await this.#journal.finish(name, { status: 'ABORTED', stopDate, ...(error ? { error } : {}), ...(cause ? { cause } : {}) }))) {
      throw new ServiceError('ExecutionDoesNotExist', 'Execution is not running');
    }
    this.#waiters.rejectExecution(name, namedError('States.Aborted', 'Execution stopped'));
    this.#executor.abort(name);
    return { stopDate: Date.parse(stopDate) / 1000 };
  }

  /**
   * Redrives a failed execution, as AWS does, from where it failed: the journal replays every step that
   * succeeded, and the failed step runs again.
   */
  async redriveExecution({ executionArn }: { executionArn: string }) {
    const name = executionArn.split(':').at(-1)!;
    const redriveDate = new Date().toISOString();
    if (!(await this.#journal.redrive(name, redriveDate))) throw new ServiceError('ExecutionNotRedrivable', `Execution ${executionArn} has not failed`);
    this.#executor.run((await this.#journal.execution(name))!);
    return { redriveDate: Date.parse(redriveDate) / 1000 };
  }

  async sendTaskSuccess({ taskToken, output }: { taskToken: string; output: string }) {
    let parsed: Json;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new ServiceError('InvalidOutput', 'output is not valid JSON');
    }
    await this.#journal.settle(taskToken, { status: 'SUCCEEDED', output: parsed });
    this.#waiters.resolve(taskToken, parsed);
    return {};
  }

  async sendTaskFailure({ taskToken, error, cause }: { taskToken: string; error?: string; cause?: string }) {
    await this.#journal.settle(taskToken, { status: 'FAILED', error: error ?? '', cause: cause ?? '' });
    this.#waiters.reject(taskToken, namedError(error ?? '', cause ?? ''));
    return {};
  }

  async sendTaskHeartbeat({ taskToken }: { taskToken: string }) {
    const step = await this.#journal.stepOfToken(taskToken);
    if (step.status !== 'PENDING' || step.token !== taskToken) throw new ServiceError('TaskTimedOut', 'Task is no longer running');
    return {};
  }

  // ---- running ------------------------------------------------------------------------------------

  /** Replays every execution the journal shows as running (after a restart). */
  async resumeRunning(): Promise<number> {
    const running = (await this.#journal.executions()).filter((e) => e.status === 'RUNNING');
    for (const execution of running) this.#executor.run(execution);
    return running.length;
  }

  /** Resolves when no execution is running in this process (for an orderly stop). */
  idle(): Promise<void> {
    return this.#executor.idle();
  }

  // ---- the JSON 1.0 endpoint ----------------------------------------------------------------------

  async listen(port = 0): Promise<string> {
    const { server, endpoint } = await listenStepFunctions({
      port,
      stateMachineArn: this.stateMachineArn,
      security: this.security,
      outage: () => this.outage,
      actions: {
        StartExecution: (b) => this.startExecution(b),
        DescribeExecution: (b) => this.describeExecution(b),
        ListExecutions: (b) => this.listExecutions(b),
        StopExecution: (b) => this.stopExecution(b),
        RedriveExecution: (b) => this.redriveExecution(b),
        SendTaskSuccess: (b) => this.sendTaskSuccess(b),
        SendTaskFailure: (b) => this.sendTaskFailure(b),
        SendTaskHeartbeat: (b) => this.sendTaskHeartbeat(b),
      },
    });
    this.#server = server;
    return endpoint;
  }

  async close(): Promise<void> {
    this.#executor.abortAll();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#journal.destroy();
  }
}
