import { ConditionalCheckFailedException, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceError } from './step-functions-errors.js';

/**
 * The local Step Functions engine's journal in DynamoDB: each execution, and each journaled state entry
 * of it (a task's outcome, a callback task's token, a Wait's end), keyed by the state's name and its entry
 * count (`Assess#1`, `Review park#2`), so that a replay can tell when the definition no longer matches.
 */
export const JOURNAL_TABLE = 'local-step-functions-journal';

export const JOURNAL_TABLE_DEFINITION = {
  TableName: JOURNAL_TABLE,
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
} as const satisfies CreateTableCommandInput;

export type Json = unknown;

export interface ExecutionItem {
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

export interface StepItem {
  stateName: string;
  /** Which entry into the state this is (1 for the first). */
  entry: number;
  /** The order in which the execution journaled its entries. */
  seq: number;
  /** WAITING: a Wait state until `until`; PENDING: a callback task waiting for its token. */
  status: 'PENDING' | 'WAITING' | 'SUCCEEDED' | 'FAILED';
  token?: string;
  /** When a callback task times out (its TimeoutSeconds from when it was first entered). */
  timeoutAt?: string;
  until?: string;
  output?: Json;
  error?: string;
  cause?: string;
}

/** A journaled step with its sort key (journals written before steps were keyed by name use `STEP#<seq>`). */
export type JournalStep = StepItem & { sk: string };

export const stepKey = (stateName: string, entry: number) => `${stateName}#${entry}`;
export const stepSortKey = (step: Pick<StepItem, 'stateName' | 'entry'>) => `STEP#${stepKey(step.stateName, step.entry)}`;
const legacySortKey = (seq: number) => `STEP#${String(seq).padStart(6, '0')}`;

export class Journal {
  readonly #db: DynamoDBDocumentClient;

  constructor(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    this.#db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials }), { marshallOptions: { removeUndefinedValues: true } });
  }

  /** Records a new execution; false if one of that name exists. */
  async createExecution(item: ExecutionItem): Promise<boolean> {
    try {
      await this.#db.send(new PutCommand({ TableName: JOURNAL_TABLE, Item: { PK: `EXEC#${item.name}`, SK: 'EXECUTION', ...item }, ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async execution(name: string): Promise<ExecutionItem | undefined> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${name}`, SK: 'EXECUTION' }, ConsistentRead: true }));
    return Item as ExecutionItem | undefined;
  }

  async executions(): Promise<ExecutionItem[]> {
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

  /** The execution's journaled steps by `State#entry`, in the order they were journaled. */
  async steps(name: string): Promise<Map<string, JournalStep>> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#db.send(
        new QueryCommand({
          TableName: JOURNAL_TABLE,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :step)',
          ExpressionAttributeValues: { ':pk': `EXEC#${name}`, ':step': 'STEP#' },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const steps = items.map((item) => ({ ...(item as unknown as StepItem), sk: String(item.SK) })).sort((a, b) => a.seq - b.seq);
    // A journal from before steps were keyed by name: count each state's entries in journal order.
    const entries = new Map<string, number>();
    for (const step of steps) {
      if (step.entry !== undefined) continue;
      step.entry = (entries.get(step.stateName) ?? 0) + 1;
      entries.set(step.stateName, step.entry);
    }
    return new Map(steps.map((step) => [stepKey(step.stateName, step.entry), step]));
  }

  /** Journals a step, and a callback step's token with it in one transaction: a token is never half-known. */
  async putStep(execution: string, { sk, ...step }: JournalStep): Promise<void> {
    const item = { PK: `EXEC#${execution}`, SK: sk, ...step };
    if (!step.token || step.status !== 'PENDING') {
      await this.#db.send(new PutCommand({ TableName: JOURNAL_TABLE, Item: item }));
      return;
    }
    await this.#db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: JOURNAL_TABLE, Item: item } },
          { Put: { TableName: JOURNAL_TABLE, Item: { PK: `TOKEN#${step.token}`, SK: 'TOKEN', execution, sk } } },
        ],
      }),
    );
  }

  async stepOfToken(token: string): Promise<JournalStep & { execution: string }> {
    const { Item } = await this.#db.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `TOKEN#${token}`, SK: 'TOKEN' }, ConsistentRead: true }));
    if (!Item) throw new ServiceError('TaskDoesNotExist', 'Task does not exist');
    const sk = typeof Item.sk === 'string' ? Item.sk : legacySortKey(Number(Item.seq));
    const { Item: step } = await this.#db.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${Item.execution}`, SK: sk }, ConsistentRead: true }));
    return { ...(step as StepItem), sk, execution: String(Item.execution) };
  }

  /** Records a callback's result once; a token already used, or of an ended execution, is refused as AWS does. */
  async settle(token: string, result: Pick<StepItem, 'status' | 'output' | 'error' | 'cause'>): Promise<void> {
    const step = await this.stepOfToken(token);
    const execution = await this.execution(step.execution);
    if (execution?.status !== 'RUNNING') throw new ServiceError('TaskTimedOut', 'The execution of this task has ended');
    try {
      await this.#db.send(
        new UpdateCommand({
          TableName: JOURNAL_TABLE,
          Key: { PK: `EXEC#${step.execution}`, SK: step.sk },
          UpdateExpression: 'SET #status = :status, #output = :output, #error = :error, #cause = :cause',
          ConditionExpression: '#status = :pending AND #token = :token',
          ExpressionAttributeNames: { '#status': 'status', '#output': 'output', '#error': 'error', '#cause': 'cause', '#token': 'token' },
          ExpressionAttributeValues: { ':status': result.status, ':output': result.output ?? null, ':error': result.error ?? null, ':cause': result.cause ?? null, ':pending': 'PENDING', ':token': token },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ServiceError('TaskTimedOut', 'Task has already been completed');
      throw error;
    }
  }

  /** Records a callback task's timeout, unless its callback came first (then false). */
  async timeOut(execution: string, { sk, ...step }: JournalStep): Promise<boolean> {
    try {
      await this.#db.send(
        new PutCommand({
          TableName: JOURNAL_TABLE,
          Item: { PK: `EXEC#${execution}`, SK: sk, ...step },
          ConditionExpression: '#status = :pending AND #token = :token',
          ExpressionAttributeNames: { '#status': 'status', '#token': 'token' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':token': step.token },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Ends a running execution; false if it was not running. */
  async finish(name: string, patch: Partial<ExecutionItem>): Promise<boolean> {
    const fields = { ...patch, stopDate: patch.stopDate ?? new Date().toISOString() };
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
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Sets a failed execution running again; false if it had not failed. */
  async redrive(name: string, redriveDate: string): Promise<boolean> {
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
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  destroy(): void {
    this.#db.destroy();
  }
}
