import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPattern } from '../../infra/local/event-filter.js';
import { type EventSourceMapping, LocalEventSources, eventSourceMappings } from '../../infra/local/event-sources.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import type { InvokeOutcome } from '../../infra/local/lambdas.js';
import { synthesizeLocal } from '../../infra/local/synth.js';
import { eventually } from '../support/local-stack.js';

/**
 * The local event source mapping on DynamoDB Local's real stream: filters, batches, retries with
 * bisection, partial batch failures, the on-failure destination and a checkpoint that outlives the
 * poller. The consumer is a function of the test (the mapping's invocation path is the local Lambda
 * service, tested in local-lambdas.test.ts); it records what it was given.
 */
type StreamRecord = { dynamodb: { SequenceNumber: string; NewImage: { id: { S: string }; entity: { S: string }; poison?: { BOOL: boolean } } } };
type Invocation = { ids: string[]; records: StreamRecord[] };

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const mapping = (logicalId: string, overrides: Partial<EventSourceMapping> = {}): EventSourceMapping => ({
  logicalId,
  functionLogicalId: `${logicalId}Fn`,
  batchSize: 3,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 2,
  maximumRecordAgeSeconds: -1,
  reportBatchItemFailures: true,
  filters: [checkPattern({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Event'] } } } }, 'test')],
  onFailure: `${logicalId}Failures`,
  ...overrides,
});

describe('local event source mappings on a DynamoDB stream', () => {
  let dynamodb: DynamoDbLocal;
  let client: DynamoDBClient;
  let tableNumber = 0;

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal();
    client = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'local', credentials: CREDENTIALS });
    await client.send(
      new CreateTableCommand({
        TableName: 'esm-state',
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    client.destroy();
    await dynamodb.stop();
  });

  /** A table of its own per test (its own stream), and a poller with `consume` as the function. */
  async function setUp(esm: EventSourceMapping, consume: (invocation: Invocation) => InvokeOutcome) {
    const tableName = `esm-table-${++tableNumber}`;
    const { TableDescription } = await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const invocations: Invocation[] = [];
    const start = () => {
      const sources = new LocalEventSources({
        mappings: [esm],
        streamsEndpoint: dynamodb.endpoint,
        tableName,
        stateEndpoint: dynamodb.endpoint,
        stateTable: 'esm-state',
        stateCredentials: CREDENTIALS,
        region: 'local',
        account: '000000000000',
        pollIntervalMs: 50,
        invoke: async (functionLogicalId, event) => {
          expect(functionLogicalId).toBe(esm.functionLogicalId);
          const records = (event as { Records: StreamRecord[] }).Records;
          const invocation = { ids: records.map((r) => r.dynamodb.NewImage.id.S), records };
          invocations.push(invocation);
          return consume(invocation);
        },
      });
      sources.start(TableDescription!.LatestStreamArn!);
      return sources;
    };
    const put = async (id: string, entity = 'Event', poison = false) =>
      client.send(new PutItemCommand({ TableName: tableName, Item: { PK: { S: id }, id: { S: id }, entity: { S: entity }, ...(poison ? { poison: { BOOL: true } } : {}) } }));
    const delivered = () => invocations.flatMap((i) => i.ids);
    return { start, put, invocations, delivered };
  }

  const ok: InvokeOutcome = { payload: { batchItemFailures: [] } };

  it('gives the function only the records its filter matches, in stream order, in batches of at most BatchSize', async () => {
    const { start, put, invocations, delivered } = await setUp(mapping('Filtered'), () => ok);
    for (const [id, entity] of [['e1', 'Event'], ['a1', 'Application'], ['e2', 'Event'], ['e3', 'Event'], ['t1', 'Task'], ['e4', 'Event'], ['e5', 'Event']]) await put(id!, entity);
    const sources = start();
    await eventually(async () => (delivered().length >= 5 ? true : undefined), 'five events delivered');
    await sources.stop();
    expect(delivered()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(invocations.every((i) => i.ids.length <= 3)).toBe(true);
    expect(invocations[0]!.ids).toEqual(['e1', 'e2', 'e3']);
  });

  it('halves a failing batch until the poison record is alone, delivers the rest, and sends the poison record to the failure destination after its retries', async () => {
    const esm = mapping('Bisect', { reportBatchItemFailures: false });
    const { start, put, invocations } = await setUp(esm, ({ records }) =>
      records.some((r) => r.dynamodb.NewImage.poison) ? { functionError: { errorType: 'Error', errorMessage: 'poison' } } : ok,
    );
    await put('p1');
    await put('p2', 'Event', true);
    await put('p3');
    const sources = start();
    const failures = await eventually(async () => ((await sources.failures(esm.onFailure!)).length > 0 ? sources.failures(esm.onFailure!) : undefined), 'a failure record');
    await sources.stop();
    const succeeded = invocations.filter((i) => !i.records.some((r) => r.dynamodb.NewImage.poison)).flatMap((i) => i.ids);
    expect(succeeded.sort()).toEqual(['p1', 'p3']);
    // First the whole batch, then halves: [p1 p2 p3] → [p1 p2] [p3] → [p1] [p2] → p2 alone until the retries run out.
    expect(invocations[0]!.ids).toEqual(['p1', 'p2', 'p3']);
    expect(invocations[1]!.ids).toEqual(['p1', 'p2']);
    expect(failures).toHaveLength(1);
    const poison = invocations.find((i) => i.ids.join() === 'p2')!.records[0]!.dynamodb.SequenceNumber;
    expect(failures[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', functionArn: expect.stringContaining(':function:BisectFn') },
      responseContext: { functionError: 'Unhandled' },
      DDBStreamBatchInfo: { batchSize: 1, startSequenceNumber: poison, endSequenceNumber: poison },
    });
    // A half inherits its parent's retries: p2 is tried MaximumRetryAttempts + 1 times in all.
    expect(invocations.filter((i) => i.ids.includes('p2')).length).toBe(esm.maximumRetryAttempts + 1);
  });

  it('retries from the first record a partial batch response names, and not the records before it', async () => {
    let failOnce = true;
    const { start, put, invocations, delivered } = await setUp(mapping('Partial', { batchSize: 10 }), ({ records }) => {
      const second = records.find((r) => r.dynamodb.NewImage.id.S === 'q2');
      if (failOnce && second) {
        failOnce = false;
        return { payload: { batchItemFailures: [{ itemIdentifier: second.dynamodb.SequenceNumber }] } };
      }
      return ok;
    });
    for (const id of ['q1', 'q2', 'q3']) await put(id);
    const sources = start();
    await eventually(async () => (invocations.length >= 2 ? true : undefined), 'the retry');
    await sources.stop();
    expect(invocations.map((i) => i.ids)).toEqual([['q1', 'q2', 'q3'], ['q2', 'q3']]);
    expect(delivered().filter((id) => id === 'q1')).toHaveLength(1);
  });

  it('fails the whole batch when a partial response names a record that is not in it', async () => {
    let calls = 0;
    const { start, put, invocations } = await setUp(mapping('BadId', { batchSize: 10, bisectBatchOnFunctionError: false }), () =>
      ++calls === 1 ? { payload: { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] } } : ok,
    );
    for (const id of ['b1', 'b2']) await put(id);
    const sources = start();
    await eventually(async () => (invocations.length >= 2 ? true : undefined), 'the retry');
    await sources.stop();
    expect(invocations.map((i) => i.ids)).toEqual([['b1', 'b2'], ['b1', 'b2']]);
  });

  it('keeps its checkpoint in DynamoDB: a new poller (a restarted stack) continues after the last settled record', async () => {
    const esm = mapping('Restart');
    const { start, put, delivered } = await setUp(esm, () => ok);
    await put('r1');
    await put('r2');
    let sources = start();
    await eventually(async () => (delivered().length >= 2 ? true : undefined), 'the first records');
    await sources.stop();
    await put('r3');
    sources = start();
    await eventually(async () => (delivered().includes('r3') ? true : undefined), 'the record written while stopped');
    await sources.stop();
    expect(delivered()).toEqual(['r1', 'r2', 'r3']);
  });

  it('sends records older than MaximumRecordAgeInSeconds to the failure destination without invoking the function', async () => {
    // 0 s stands for "already too old" (AWS's minimum is 60 s; the rule is the same).
    const esm = mapping('Aged', { maximumRecordAgeSeconds: 0 });
    const { start, put, invocations } = await setUp(esm, () => ok);
    await put('old1');
    const sources = start();
    const [failure] = await eventually(async () => ((await sources.failures(esm.onFailure!)).length > 0 ? sources.failures(esm.onFailure!) : undefined), 'a failure record');
    await sources.stop();
    expect(failure!.requestContext.condition).toBe('RecordAgeExceeded');
    expect(failure!.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(invocations).toEqual([]);
  });

  it('reads the mapping from the synthesized template, and refuses filter rules it cannot match as AWS does', () => {
    const [inbox] = synthesizeLocal().eventSources;
    expect(inbox).toMatchObject({ batchSize: 25, bisectBatchOnFunctionError: true, reportBatchItemFailures: true, maximumRetryAttempts: 5, maximumRecordAgeSeconds: 86_400 });
    expect(inbox!.onFailure).toMatch(/^InboxEventsFailures/);
    expect(inbox!.filters[0]).toMatchObject({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Event'] }, type: { S: expect.arrayContaining(['RETURNED', 'PAID']) } } } });
    expect(() => checkPattern({ dynamodb: { NewImage: { amount: { N: [{ numeric: ['>', 0] }] } } } }, 'x')).toThrow(/does not support the filter rule/);
    expect(() => checkPattern({ $or: [] }, 'x')).toThrow(/does not support the filter operator/);
  });
});
