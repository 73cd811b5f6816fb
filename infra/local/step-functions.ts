import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { QUOTAS, jsonBytes } from './quotas.js';
import type { LocalCredential, LocalCredentials } from './credentials.js';
import { respondJson, signatureError } from './dynamodb-proxy.js';
import type { LocalIam } from './iam.js';
import { readBody, verifySigV4 } from './sigv4.js';

/**
 * A local Step Functions endpoint (the service's JSON 1.0 protocol) that executes the synthesized ASL
 * with aws-local-stepfunctions and makes up for what that library lacks:
 * - `lambda:invoke` results are wrapped as AWS wraps them ({ExecutedVersion, StatusCode, Payload});
 * - every `.waitForTaskToken` task gets its own token and waits for SendTaskSuccess/Failure;
 * - a journal in DynamoDB records each task's result, so that after a restart every running execution
 *   is replayed from its input: journaled results are returned instead of invoking again, and a task
 *   still waiting for its token waits again under the same token. A pending review is never lost.
 */
export const JOURNAL_TABLE = 'local-step-functions-journal';

/** What `$$.Task.Token` resolves to inside the library; each callback task swaps in a token of its own. */
const TASK_TOKEN_PLACEHOLDER = 'local-step-functions:task-token';

/** Node's timers cannot wait longer than 2^31−1 ms; AWS has no default task timeout. */
const MAX_LOCAL_TIMEOUT_SECONDS = 2_147_483;

type Json = unknown;
type InvokeFunction = (functionName: string, payload: Json) => Promise<Json>;

interface ExecutionItem {
  executionArn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  startDate: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
}

interface StepItem {
  seq: number;
  stateName: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  token?: string;
  output?: Json;
  error?: string;
  cause?: string;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** States.DataLimitExceeded: terminal, so no Retry or Catch (not even States.ALL) handles it. */
function dataLimitExceeded(message: string): Error {
  return Object.assign(namedError('States.DataLimitExceeded', message), { isRetryable: false, isCatchable: false });
}

const pad = (seq: number) => String(seq).padStart(6, '0');

/**
 * How the endpoint authenticates and authorizes its callers (SigV4 with the local keys, IAM from the
 * template), and the key its journal is written with. Without it (handler-level integration tests that
 * run the engine alone) every caller is accepted.
 */
export interface StepFunctionsSecurity {
  credentials: LocalCredentials;
  iam: LocalIam;
  journalCredential: LocalCredential;
}

export class LocalStepFunctions {
  readonly #db: DynamoDBDocumentClient;
  readonly #machine: StateMachine;
  readonly #taskStates: Map<string, { callback: boolean }>;
  readonly #waiters = new Map<string, { execution: string; resolve: (output: Json) => void; reject: (error: Error) => void }>();
  readonly #running = new Map<string, { abort: () => void; done: Promise<void> }>();
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
    private readonly invokeFunction: InvokeFunction,
    dynamoDbEndpoint: string,
    /** Milliseconds between retries per state, instead of the definition's backoff (tests only). */
    private readonly retryIntervalOverrides?: Record<string, number>,
    private readonly security?: StepFunctionsSecurity,
  ) {
    this.#db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: dynamoDbEndpoint,
        region: 'local',
        credentials: security?.journalCredential ?? { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const local = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
    this.#taskStates = new Map();
    for (const [name, state] of Object.entries(local.States)) {
      if (state.Type !== 'Task') continue;
      const unlimited = state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined;
      if (unlimited || Number(state.TimeoutSeconds) > MAX_LOCAL_TIMEOUT_SECONDS) {
        state.TimeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
      }
      this.#taskStates.set(name, { callback: String(state.Resource).endsWith('.waitForTaskToken') });
    }
    this.#machine = new StateMachine(local as never, { validationOptions: { checkArn: false } });
  }

  // ---- the service's actions ----------------------------------------------------------------------

  async startExecution({ stateMachineArn, name, input }: { stateMachineArn: string; name?: string; input?: string }) {
    if (stateMachineArn !== this.stateMachineArn) throw new ServiceError('StateMachineDoesNotExist', `No state machine ${stateMachineArn}`);
    const executionName = name ?? randomBytes(16).toString('hex');
    const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${executionName}`;
    const item: ExecutionItem = { executionArn, name: executionName, input: input ?? '{}', status: 'RUNNING', startDate: new Date().toISOString() };
    try {
      await this.#db.send(
        new PutCommand({ TableName: JOURNAL_TABLE, Item: { PK: `EXEC#${executionName}`, SK: 'EXECUTION', ...item }, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.#execution(executionName);
      // As in AWS: starting a running execution again with the same input is idempotent.
      if (existing && existing.status === 'RUNNING' && existing.input === item.input) {
        return { executionArn: existing.executionArn, startDate: Date.parse(existing.startDate) / 1000 };
      }
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    }
    this.#run(item);
    return { executionArn, startDate: Date.parse(item.startDate) / 1000 };
  }

  async describeExecution({ executionArn }: { executionArn: string }) {
    const execution = await this.#execution(executionArn.split(':').at(-1)!);
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
    const executions = (await this.#executions())
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name));
    const offset = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new ServiceError('InvalidToken', 'Invalid nextToken');
    const size = maxResults || 100;
    const end = offset + size;
    return {
      ...(end < executions.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
      executions: executions
        .slice(offset, end)
        .map((e) => ({
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
    await this.#finish(name, { status: 'ABORTED', stopDate, ...(error ? { error } : {}), ...(cause ? { cause } : {}) });
    this.#running.get(name)?.abort();
    return { stopDate: Date.parse(stopDate) / 1000 };
  }

  /**
   * Redrives a failed execution, as AWS does, from where it failed: the journal replays every step that
   * succeeded, and the failed step runs again.
   */
  async redriveExecution({ executionArn }: { executionArn: string }) {
    const name = executionArn.split(':').at(-1)!;
    const redriveDate = new Date().toISOString();
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: JOURNAL_TABLE,
          Key: { PK: `EXEC#${name}`, SK: 'EXECUTION' },
          UpdateExpression: 'SET #status = :running, redriveDate = :at REMOVE #error, #cause, stopDate',
          ConditionExpression: '#status = :failed',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#cause': 'cause' },
          ExpressionAttributeValues: { ':running': 'RUNNING', ':failed': 'FAILED', ':at': redriveDate },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ServiceError('ExecutionNotRedrivable', `Execution ${executionArn} has not failed`);
      throw error;
    }
    this.#run((await this.#execution(name))!);
    return { redriveDate: Date.parse(redriveDate) / 1000 };
  }

  async sendTaskSuccess({ taskToken, output }: { taskToken: string; output: string }) {
    let parsed: Json;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new ServiceError('InvalidOutput', 'output is not valid JSON');
    }
    await this.#settle(taskToken, { status: 'SUCCEEDED', output: parsed });
    this.#waiters.get(taskToken)?.resolve(parsed);
    return {};
  }

  async sendTaskFailure({ taskToken, error, cause }: { taskToken: string; error?: string; cause?: string }) {
    await this.#settle(taskToken, { status: 'FAILED', error: error ?? '', cause: cause ?? '' });
    this.#waiters.get(taskToken)?.reject(namedError(error ?? '', cause ?? ''));
    return {};
  }

  async sendTaskHeartbeat({ taskToken }: { taskToken: string }) {
    const step = await this.#stepOfToken(taskToken);
    if (step.status !== 'PENDING') throw new ServiceError('TaskTimedOut', 'Task is no longer running');
    return {};
  }

  // ---- running and replaying ----------------------------------------------------------------------

  /** Replays every execution the journal shows as running (after a restart). */
  async resumeRunning(): Promise<number> {
    const running = (await this.#executions()).filter((e) => e.status === 'RUNNING');
    for (const execution of running) this.#run(execution);
    return running.length;
  }

  /** Resolves when no execution is running in this process (for an orderly stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  #run(execution: ExecutionItem): void {
    let seq = 0;
    const journalPromise = this.#steps(execution.name);
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, { callback }] of this.#taskStates) {
      handlers[stateName] = async (input: Json) => {
        // Steps run one after another, so the n-th task invocation is journal entry n. A failed
        // attempt (retried by the definition's Retry) gives its number back: only outcomes are journaled.
        const mySeq = seq++;
        try {
          return await this.#step(execution, stateName, callback, mySeq, journalPromise, input);
        } catch (error) {
          seq = mySeq;
          throw error;
        }
      };
    }

    const context = {
      Execution: { Id: execution.executionArn, Name: execution.name, Input: JSON.parse(execution.input), StartTime: execution.startDate },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(':').at(-1) },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    const { abort, result, eventLogs } = this.#machine.run(JSON.parse(execution.input), {
      overrides: { taskResourceLocalHandlers: handlers as never, ...(this.retryIntervalOverrides ? { retryIntervalOverrides: this.retryIntervalOverrides } : {}) },
      context: context as never,
    });
    void (async () => {
      for await (const event of eventLogs) if (event.type === 'StateEntered') this.transitions++;
    })().catch(() => undefined);
    const done = result
      .then((output) => this.#finish(execution.name, { status: 'SUCCEEDED', output: JSON.stringify(output) }))
      .catch((error: Error) => {
        if (error instanceof ExecutionAbortedError) return;
        const cause = error instanceof ExecutionError ? (error.cause as Error | undefined) : error;
        return this.#finish(execution.name, { status: 'FAILED', error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? String(error) });
      })
      .catch((error) => process.stderr.write(`local step functions: ${String(error)}\n`))
      .finally(() => this.#running.delete(execution.name))
      .then(() => undefined);
    this.#running.set(execution.name, { abort, done });
  }

  async #step(
    execution: ExecutionItem,
    stateName: string,
    callback: boolean,
    mySeq: number,
    journalPromise: Promise<Map<number, StepItem>>,
    input: Json,
  ): Promise<Json> {
    const journal = await journalPromise;
    const journaled = journal.get(mySeq);
    if (journaled && journaled.stateName !== stateName) {
      throw namedError('States.Runtime', `Journal of ${execution.name} diverges at step ${mySeq}: ${journaled.stateName} ≠ ${stateName}`);
    }
    if (journaled?.status === 'SUCCEEDED') return journaled.output;
    if (journaled?.status === 'FAILED') throw namedError(journaled.error ?? '', journaled.cause ?? '');
    const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
    if (jsonBytes(input) > QUOTAS.stepFunctionsPayloadBytes) {
      throw dataLimitExceeded(`The state/task '${stateName}' has an input with a size exceeding the maximum number of bytes service limit.`);
    }
    if (!callback) {
      const result = { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: await this.invokeFunction(FunctionName, Payload) };
      if (jsonBytes(result) > QUOTAS.stepFunctionsPayloadBytes) {
        throw dataLimitExceeded(`The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
      }
      await this.#putStep(execution.name, { seq: mySeq, stateName, status: 'SUCCEEDED', output: result });
      return result;
    }
    // A callback task: its own token (the journaled one on replay) replaces the placeholder that
    // $$.Task.Token resolved to, and is journaled before the function sees it.
    const token = journaled?.token ?? randomBytes(48).toString('base64url');
    if (!journaled) {
      const pending: StepItem = { seq: mySeq, stateName, status: 'PENDING', token };
      await this.#putStep(execution.name, pending);
      journal.set(mySeq, pending); // a retried attempt keeps this token
    }
    const payload = JSON.parse(JSON.stringify(Payload).replaceAll(TASK_TOKEN_PLACEHOLDER, token));
    const outcome = this.#waitFor(token, execution.name);
    await this.invokeFunction(FunctionName, payload);
    return outcome;
  }

  /** Waits for the token's callback; a callback journaled while nobody was waiting is picked up too. */
  async #waitFor(token: string, execution: string): Promise<Json> {
    const outcome = new Promise<Json>((resolve, reject) => this.#waiters.set(token, { execution, resolve, reject }));
    const step = await this.#stepOfToken(token).catch(() => undefined);
    if (step?.status === 'SUCCEEDED') this.#waiters.get(token)?.resolve(step.output);
    if (step?.status === 'FAILED') this.#waiters.get(token)?.reject(namedError(step.error ?? '', step.cause ?? ''));
    try {
      return await outcome;
    } finally {
      this.#waiters.delete(token);
    }
  }

  // ---- the journal --------------------------------------------------------------------------------

  async #execution(name: string): Promise<ExecutionItem | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${name}`, SK: 'EXECUTION' }, ConsistentRead: true }));
    return Item as ExecutionItem | undefined;
  }

  async #executions(): Promise<ExecutionItem[]> {
    const items: ExecutionItem[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new ScanCommand({ TableName: JOURNAL_TABLE, FilterExpression: 'SK = :execution', ExpressionAttributeValues: { ':execution': 'EXECUTION' }, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as ExecutionItem[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  async #steps(name: string): Promise<Map<number, StepItem>> {
    const { Items = [] } = await this.#db.send(
      new QueryCommand({
        TableName: JOURNAL_TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :step)',
        ExpressionAttributeValues: { ':pk': `EXEC#${name}`, ':step': 'STEP#' },
        ConsistentRead: true,
      }),
    );
    return new Map(Items.map((item) => [Number(item.seq), item as StepItem]));
  }

  /** Journals a step, and a callback step's token with it in one transaction: a token is never half-known. */
  async #putStep(name: string, step: StepItem): Promise<void> {
    const stepItem = { PK: `EXEC#${name}`, SK: `STEP#${pad(step.seq)}`, ...step };
    if (!step.token) {
      await this.#db.send(new PutCommand({ TableName: JOURNAL_TABLE, Item: stepItem }));
      return;
    }
    await this.#db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: JOURNAL_TABLE, Item: stepItem } },
          { Put: { TableName: JOURNAL_TABLE, Item: { PK: `TOKEN#${step.token}`, SK: 'TOKEN', execution: name, seq: step.seq } } },
        ],
      }),
    );
  }

  async #stepOfToken(token: string): Promise<StepItem & { execution: string }> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `TOKEN#${token}`, SK: 'TOKEN' }, ConsistentRead: true }));
    if (!Item) throw new ServiceError('TaskDoesNotExist', 'Task does not exist');
    const { Item: step } = await this.#db.send(
      new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${Item.execution}`, SK: `STEP#${pad(Number(Item.seq))}` }, ConsistentRead: true }),
    );
    return { ...(step as StepItem), execution: String(Item.execution) };
  }

  /** Records a callback's result once; a token already used, or of an ended execution, is refused as AWS does. */
  async #settle(token: string, result: Pick<StepItem, 'status' | 'output' | 'error' | 'cause'>): Promise<void> {
    const step = await this.#stepOfToken(token);
    const execution = await this.#execution(step.execution);
    if (execution?.status !== 'RUNNING') throw new ServiceError('TaskTimedOut', 'The execution of this task has ended');
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: JOURNAL_TABLE,
          Key: { PK: `EXEC#${step.execution}`, SK: `STEP#${pad(step.seq)}` },
          UpdateExpression: 'SET #status = :status, #output = :output, #error = :error, #cause = :cause',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#output': 'output', '#error': 'error', '#cause': 'cause' },
          ExpressionAttributeValues: { ':status': result.status, ':output': result.output ?? null, ':error': result.error ?? null, ':cause': result.cause ?? null, ':pending': 'PENDING' },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ServiceError('TaskTimedOut', 'Task has already been completed');
      throw error;
    }
  }

  async #finish(name: string, patch: Partial<ExecutionItem>): Promise<void> {
    const stopDate = patch.stopDate ?? new Date().toISOString();
    const fields = { ...patch, stopDate };
    const names = Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k]));
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v]));
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: JOURNAL_TABLE,
          Key: { PK: `EXEC#${name}`, SK: 'EXECUTION' },
          UpdateExpression: `SET ${Object.keys(fields).map((k) => `#${k} = :${k}`).join(', ')}`,
          ConditionExpression: '#s = :running',
          ExpressionAttributeNames: { ...names, '#s': 'status' },
          ExpressionAttributeValues: { ...values, ':running': 'RUNNING' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (patch.status === 'ABORTED') throw new ServiceError('ExecutionDoesNotExist', 'Execution is not running');
    }
    if (patch.status === 'ABORTED') {
      for (const waiter of this.#waiters.values()) {
        if (waiter.execution === name) waiter.reject(namedError('States.Aborted', 'Execution stopped'));
      }
    }
  }

  // ---- the JSON 1.0 endpoint ----------------------------------------------------------------------

  listen(port = 0): Promise<string> {
    const actions: Record<string, (body: never) => Promise<unknown>> = {
      StartExecution: (b) => this.startExecution(b),
      DescribeExecution: (b) => this.describeExecution(b),
      ListExecutions: (b) => this.listExecutions(b),
      StopExecution: (b) => this.stopExecution(b),
      RedriveExecution: (b) => this.redriveExecution(b),
      SendTaskSuccess: (b) => this.sendTaskSuccess(b),
      SendTaskFailure: (b) => this.sendTaskFailure(b),
      SendTaskHeartbeat: (b) => this.sendTaskHeartbeat(b),
    };
    const respond = (res: ServerResponse, status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const raw = await readBody(req);
      const action = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      if (this.security) {
        const verified = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body: raw }, this.security.credentials, {
          service: 'states',
          uriEscapePath: true,
        });
        if (!verified.ok) {
          const { type, message } = signatureError(verified);
          return respondJson(res, 400, { __type: `com.amazon.coral.service#${type}`, message });
        }
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw.toString('utf8') || '{}');
        } catch {
          return respondJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'Malformed JSON body' });
        }
        const decision = await this.security.iam.authorize(verified.identity, [{ action: `states:${action}`, resource: this.#resourceOf(action, body) }]);
        if (!decision.allowed) return respondJson(res, 400, { __type: 'com.amazon.coral.service#AccessDeniedException', message: decision.message });
      }
      if (this.outage) return respond(res, 503, { __type: 'ServiceUnavailable', message: 'Step Functions is unavailable (local outage)' });
      const run = actions[action];
      if (!run) return respond(res, 400, { __type: 'UnknownOperationException', message: `Unsupported action ${action}` });
      try {
        respond(res, 200, await run(JSON.parse(raw.toString('utf8') || '{}') as never));
      } catch (error) {
        if (error instanceof ServiceError) return respond(res, 400, { __type: `com.amazonaws.swf.service.v2.model#${error.type}`, message: error.message });
        process.stderr.write(`local step functions: ${String((error as Error)?.stack ?? error)}\n`);
        respond(res, 500, { __type: 'InternalFailure', message: String(error) });
      }
    };
    const server = createServer((req, res) => void handle(req, res));
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`));
    });
  }

  /** The resource IAM evaluates an action on: the state machine, or the execution it names. */
  #resourceOf(action: string, body: Record<string, unknown>): string {
    if (typeof body.executionArn === 'string') return body.executionArn;
    // Task responses are evaluated against the state machine of the task's execution (this one only).
    if (['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'].includes(action)) return this.stateMachineArn;
    if (typeof body.stateMachineArn === 'string') return body.stateMachineArn;
    return '*';
  }

  async close(): Promise<void> {
    for (const { abort } of this.#running.values()) abort();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#db.destroy();
  }
}
