import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { Template } from './functions.js';
import { type Pattern, checkPattern, passes } from './event-filter.js';
import type { Credentials, InvokeOutcome } from './lambdas.js';

/** An AWS::Lambda::EventSourceMapping on the table's stream, as the template configures it. */
export interface EventSourceMapping {
  logicalId: string;
  functionLogicalId: string;
  batchSize: number;
  bisectBatchOnFunctionError: boolean;
  /** -1: until the record expires (AWS's default). */
  maximumRetryAttempts: number;
  /** -1: no limit. */
  maximumRecordAgeSeconds: number;
  reportBatchItemFailures: boolean;
  filters: Pattern[];
  /** The logical id of the on-failure destination (an SQS queue of the template). */
  onFailure?: string;
}

const SUPPORTED = new Set([
  'FunctionName', 'EventSourceArn', 'BatchSize', 'BisectBatchOnFunctionError', 'MaximumRetryAttempts', 'MaximumRecordAgeInSeconds',
  'FunctionResponseTypes', 'FilterCriteria', 'DestinationConfig', 'StartingPosition', 'Enabled',
]);

const getAtt = (value: unknown): [string, string] | undefined => (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];

/**
 * The template's event source mappings on a DynamoDB stream. What the local stack cannot run as AWS
 * would (another source, a starting position other than TRIM_HORIZON, parallelization, batching
 * windows, tumbling windows, unsupported filter rules) is refused here, loudly.
 */
export function eventSourceMappings(template: Template): EventSourceMapping[] {
  const mappings: EventSourceMapping[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const p = resource.Properties ?? {};
    if (p.Enabled === false) continue;
    const unsupported = Object.keys(p).filter((name) => !SUPPORTED.has(name));
    if (unsupported.length > 0) throw new Error(`Event source mapping ${logicalId}: the local stack does not run ${unsupported.join(', ')}`);
    const source = getAtt(p.EventSourceArn);
    if (source?.[1] !== 'StreamArn' || template.Resources[source[0]]?.Type !== 'AWS::DynamoDB::GlobalTable') {
      throw new Error(`Event source mapping ${logicalId}: the local stack runs mappings on the table's DynamoDB stream only`);
    }
    if (p.StartingPosition !== 'TRIM_HORIZON') throw new Error(`Event source mapping ${logicalId}: the local stack starts at TRIM_HORIZON only, not ${String(p.StartingPosition)}`);
    const functionLogicalId = (p.FunctionName as { Ref?: string } | undefined)?.Ref;
    if (!functionLogicalId || template.Resources[functionLogicalId]?.Type !== 'AWS::Lambda::Function') throw new Error(`Event source mapping ${logicalId}: its function is not one of the template's`);
    const responseTypes = (p.FunctionResponseTypes ?? []) as string[];
    if (responseTypes.some((type) => type !== 'ReportBatchItemFailures')) throw new Error(`Event source mapping ${logicalId}: unknown FunctionResponseTypes ${responseTypes.join(', ')}`);
    const destination = getAtt((p.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination);
    if (p.DestinationConfig && (!destination || template.Resources[destination[0]]?.Type !== 'AWS::SQS::Queue')) {
      throw new Error(`Event source mapping ${logicalId}: the local stack supports an SQS queue of the template as the on-failure destination only`);
    }
    const filters = ((p.FilterCriteria as { Filters?: { Pattern: string }[] } | undefined)?.Filters ?? []).map((filter, i) =>
      checkPattern(JSON.parse(filter.Pattern), `Event source mapping ${logicalId} filter ${i}`),
    );
    mappings.push({
      logicalId,
      functionLogicalId,
      // DynamoDB streams' defaults (CreateEventSourceMapping).
      batchSize: Number(p.BatchSize ?? 100),
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
      maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
      maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
      reportBatchItemFailures: responseTypes.includes('ReportBatchItemFailures'),
      filters,
      ...(destination ? { onFailure: destination[0] } : {}),
    });
  }
  return mappings;
}

/** What Lambda sends to a stream mapping's on-failure destination: the batch's place in the stream, not its records. */
export interface FailureRecord {
  requestContext: { requestId: string; functionArn: string; condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'; approximateInvokeCount: number };
  responseContext: { statusCode: number; executedVersion: string; functionError?: string };
  version: '1.0';
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

export interface LocalEventSourcesOptions {
  mappings: readonly EventSourceMapping[];
  /** DynamoDB Local itself: the Lambda service's poller reads the stream there. */
  streamsEndpoint: string;
  tableName: string;
  /** Where checkpoints and the failure destinations' messages are kept (a table of the local stack's own). */
  stateEndpoint: string;
  stateTable: string;
  stateCredentials: Credentials;
  region: string;
  account: string;
  /** Invokes the mapping's function synchronously, as the poller does (the local Lambda service). */
  invoke: (functionLogicalId: string, event: unknown) => Promise<InvokeOutcome>;
  /** How long an idle poller waits before reading the stream again (AWS polls about four times a second). */
  pollIntervalMs?: number;
}

type Checkpoint = { sequenceNumber?: string; done: boolean };
/** How long the list of shards is reused before DescribeStream is asked again (DynamoDB rolls shards over every few hours). */
const SHARD_LIST_SECONDS = 10;
const sequence = (record: _Record) => record.dynamodb!.SequenceNumber!;
const compareSequence = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * Lambda's event source mappings on a DynamoDB stream, locally: each mapping polls every shard of the
 * table's stream (parents before children), drops records its filters do not match, invokes its function
 * with batches of up to BatchSize records in order, and on a function error retries, halving the batch
 * (BisectBatchOnFunctionError), or from the first failed record a ReportBatchItemFailures response names.
 * A batch that still fails after MaximumRetryAttempts (or whose records are older than
 * MaximumRecordAgeInSeconds) goes to the on-failure destination as Lambda describes it, and the shard
 * moves on. The checkpoint per shard is kept in DynamoDB Local: a restarted stack continues after the
 * last settled record, so a batch that was being processed during a crash is delivered again (at least once).
 */
export class LocalEventSources {
  readonly #streams: DynamoDBStreamsClient;
  readonly #state: DynamoDBClient;
  readonly #pollIntervalMs: number;
  #running = false;
  #loops: Promise<void>[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #replays = new Map<string, () => void>();
  /** Records each mapping's function has handled (a redelivered record counts again). */
  readonly handled = new Map<string, number>();

  constructor(private readonly options: LocalEventSourcesOptions) {
    this.#streams = new DynamoDBStreamsClient({ endpoint: options.streamsEndpoint, region: options.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    this.#state = new DynamoDBClient({ endpoint: options.stateEndpoint, region: options.region, credentials: options.stateCredentials });
    this.#pollIntervalMs = options.pollIntervalMs ?? 250;
  }

  /** The mappings' logical ids, as the template names them. */
  get mappingIds(): string[] {
    return this.options.mappings.map((mapping) => mapping.logicalId);
  }

  start(streamArn: string): void {
    this.#running = true;
    this.#loops = this.options.mappings.map((mapping) => this.#poll(mapping, streamArn));
  }

  /** Stops polling after the invocation in progress; a batch not settled is delivered again after a restart. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const wake of this.#wakers) wake();
    await Promise.all(this.#loops);
    this.#streams.destroy();
    this.#state.destroy();
  }

  /** The messages an on-failure destination (a queue's logical id) has received, oldest first. */
  async failures(queueLogicalId: string): Promise<FailureRecord[]> {
    const { Items = [] } = await this.#state.send(
      new QueryCommand({ TableName: this.options.stateTable, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: `ESM_FAILURES#${queueLogicalId}` } }, ConsistentRead: true }),
    );
    return Items.map((item) => JSON.parse(item.message!.S!) as FailureRecord);
  }

  /**
   * Reads the stream again from its oldest record, as a mapping deleted and re-created at TRIM_HORIZON
   * does: every record still in the stream is delivered again (consumers must not repeat their effects).
   */
  replay(mappingLogicalId: string): Promise<void> {
    // The mapping's own loop drops its checkpoints between two reads, so no batch in flight writes one back.
    return new Promise((resolve) => {
      this.#replays.set(mappingLogicalId, resolve);
      for (const wake of this.#wakers) wake();
    });
  }

  async #dropCheckpoints(mapping: EventSourceMapping): Promise<void> {
    const { Items = [] } = await this.#state.send(
      new QueryCommand({ TableName: this.options.stateTable, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: `ESM#${mapping.logicalId}` } }, ConsistentRead: true }),
    );
    for (const item of Items) await this.#state.send(new DeleteItemCommand({ TableName: this.options.stateTable, Key: { PK: item.PK!, SK: item.SK! } }));
  }

  /** Every failure destination's messages, each with the queue's logical id. */
  async allFailures(): Promise<(FailureRecord & { queue: string })[]> {
    const queues = [...new Set(this.options.mappings.flatMap((mapping) => (mapping.onFailure ? [mapping.onFailure] : [])))];
    const lists = await Promise.all(queues.map(async (queue) => (await this.failures(queue)).map((record) => ({ queue, ...record }))));
    return lists.flat();
  }

  async #checkpoints(mapping: EventSourceMapping): Promise<Map<string, { sequenceNumber?: string; done: boolean }>> {
    const { Items = [] } = await this.#state.send(
      new QueryCommand({ TableName: this.options.stateTable, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: `ESM#${mapping.logicalId}` } }, ConsistentRead: true }),
    );
    return new Map(Items.map((item) => [item.SK!.S!, { ...(item.sequenceNumber ? { sequenceNumber: item.sequenceNumber.S! } : {}), done: item.done?.BOOL === true }]));
  }

  async #saveCheckpoint(mapping: EventSourceMapping, shardId: string, checkpoint: { sequenceNumber?: string; done: boolean }): Promise<void> {
    await this.#state.send(
      new PutItemCommand({
        TableName: this.options.stateTable,
        Item: {
          PK: { S: `ESM#${mapping.logicalId}` },
          SK: { S: shardId },
          ...(checkpoint.sequenceNumber ? { sequenceNumber: { S: checkpoint.sequenceNumber } } : {}),
          done: { BOOL: checkpoint.done },
        },
      }),
    );
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.#pollIntervalMs);
      this.#wakers.add(wake);
    });
  }

  async #poll(mapping: EventSourceMapping, streamArn: string): Promise<void> {
    // Checkpoints are read from the table once (and after a replay), then written through; iterators
    // are kept between polls while nothing is left unsettled, so an idle poll is one GetRecords per shard.
    let checkpoints: Map<string, Checkpoint> | undefined;
    const iterators = new Map<string, string>();
    let shards: { list: Shard[]; at: number } | undefined;
    while (this.#running) {
      let progressed = false;
      try {
        const replayed = this.#replays.get(mapping.logicalId);
        if (replayed) {
          await this.#dropCheckpoints(mapping);
          checkpoints = undefined;
          iterators.clear();
          this.#replays.delete(mapping.logicalId);
          replayed();
        }
        checkpoints ??= await this.#checkpoints(mapping);
        if (!shards || Date.now() - shards.at > SHARD_LIST_SECONDS * 1000) shards = { list: await this.#shards(streamArn), at: Date.now() };
        const listed = new Set(shards.list.map((shard) => shard.ShardId));
        for (const shard of shards.list) {
          if (!this.#running) break;
          const checkpoint = checkpoints.get(shard.ShardId!) ?? { done: false };
          // A child shard waits until its parent is read to the end (records of one item stay in order).
          const parent = shard.ParentShardId;
          if (checkpoint.done || (parent && listed.has(parent) && !checkpoints.get(parent)?.done)) continue;
          const read = await this.#readShard(mapping, streamArn, shard, checkpoint, iterators);
          if (read.checkpoint) checkpoints.set(shard.ShardId!, read.checkpoint);
          if (read.checkpoint?.done) shards = undefined;
          progressed = read.progressed || progressed;
        }
      } catch (error) {
        if (!this.#running) break;
        iterators.clear();
        process.stderr.write(`event source mapping ${mapping.logicalId}: ${(error as Error).stack ?? String(error)}\n`);
      }
      if (!progressed && this.#running) await this.#idle();
    }
  }

  async #shards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.#streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  /** An iterator just after the checkpoint (or at the shard's oldest record). */
  async #iteratorAfter(streamArn: string, shardId: string, checkpoint: Checkpoint): Promise<string | undefined> {
    try {
      const { ShardIterator } = await this.#streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(checkpoint.sequenceNumber ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint.sequenceNumber } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      return ShardIterator;
    } catch (error) {
      // Records past the 24 h retention are gone: start from the oldest still there, as Lambda does.
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      const { ShardIterator } = await this.#streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      return ShardIterator;
    }
  }

  /** Reads one shard from its checkpoint and delivers what it finds; `progressed` if anything was settled. */
  async #readShard(
    mapping: EventSourceMapping,
    streamArn: string,
    shard: Shard,
    checkpoint: Checkpoint,
    iterators: Map<string, string>,
  ): Promise<{ progressed: boolean; checkpoint?: Checkpoint }> {
    const shardId = shard.ShardId!;
    let iterator: string | undefined = iterators.get(shardId);
    iterators.delete(shardId);
    iterator ??= await this.#iteratorAfter(streamArn, shardId, checkpoint);
    let records: _Record[] = [];
    let next: string | undefined;
    try {
      const result = await this.#streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records = result.Records ?? [];
      next = result.NextShardIterator;
    } catch (error) {
      if (error instanceof ExpiredIteratorException) return { progressed: false };
      throw error;
    }
    if (records.length === 0) {
      // A closed shard read to the end: its children come next.
      if (!next) {
        const done = { ...checkpoint, done: true };
        await this.#saveCheckpoint(mapping, shardId, done);
        return { progressed: true, checkpoint: done };
      }
      iterators.set(shardId, next);
      return { progressed: false };
    }
    // One batch: matching records up to BatchSize; it settles every record read up to the next match.
    const batch: _Record[] = [];
    let settledUpTo = sequence(records.at(-1)!);
    for (const record of records) {
      if (!passes(mapping.filters, this.#lambdaRecord(record, streamArn))) continue;
      if (batch.length === mapping.batchSize) {
        settledUpTo = this.#before(records, record);
        break;
      }
      batch.push(record);
    }
    if (batch.length > 0) await this.#deliver(mapping, streamArn, shardId, batch);
    if (!this.#running && batch.length > 0) return { progressed: false };
    const settled = { sequenceNumber: settledUpTo, done: false };
    await this.#saveCheckpoint(mapping, shardId, settled);
    // Read on from where GetRecords stopped only if everything it returned is settled.
    if (next && settledUpTo === sequence(records.at(-1)!)) iterators.set(shardId, next);
    return { progressed: true, checkpoint: settled };
  }

  /** The sequence number of the record read just before `record`. */
  #before(records: _Record[], record: _Record): string {
    return sequence(records[records.indexOf(record) - 1]!);
  }

  /** A stream record as Lambda hands it to the function (and as filters see it). */
  #lambdaRecord(record: _Record, streamArn: string): Record<string, unknown> {
    const { ApproximateCreationDateTime, ...dynamodb } = record.dynamodb ?? {};
    return {
      eventID: record.eventID,
      eventName: record.eventName,
      eventVersion: record.eventVersion,
      eventSource: 'aws:dynamodb',
      awsRegion: this.options.region,
      dynamodb: { ...(ApproximateCreationDateTime ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) } : {}), ...dynamodb },
      eventSourceARN: streamArn,
    };
  }

  /** Delivers one batch until every record is handled or sent to the failure destination. */
  async #deliver(mapping: EventSourceMapping, streamArn: string, shardId: string, batch: _Record[]): Promise<void> {
    // Pending sub-batches in stream order, each with the retries it has had (a half inherits its parent's).
    const pending: { records: _Record[]; retries: number }[] = [{ records: batch, retries: 0 }];
    while (pending.length > 0) {
      if (!this.#running) return;
      const current = pending[0]!;
      if (mapping.maximumRecordAgeSeconds >= 0) {
        const oldest = Date.now() - mapping.maximumRecordAgeSeconds * 1000;
        const expired = current.records.filter((r) => (r.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) < oldest);
        if (expired.length > 0) {
          await this.#sendToFailureDestination(mapping, streamArn, shardId, expired, 'RecordAgeExceeded', current.retries + 1, undefined);
          current.records = current.records.filter((r) => !expired.includes(r));
          if (current.records.length === 0) {
            pending.shift();
            continue;
          }
        }
      }
      const outcome = await this.options.invoke(mapping.functionLogicalId, { Records: current.records.map((r) => this.#lambdaRecord(r, streamArn)) });
      let failedFrom: number | undefined;
      let functionError: string | undefined;
      if ('functionError' in outcome) {
        failedFrom = 0;
        functionError = 'Unhandled';
      } else if (mapping.reportBatchItemFailures) {
        failedFrom = this.#firstFailure(current.records, outcome.payload);
      }
      this.handled.set(mapping.logicalId, (this.handled.get(mapping.logicalId) ?? 0) + (failedFrom ?? current.records.length));
      if (failedFrom === undefined) {
        pending.shift();
        continue;
      }
      const remaining = current.records.slice(failedFrom);
      const retries = current.retries + 1;
      if (mapping.maximumRetryAttempts >= 0 && retries > mapping.maximumRetryAttempts) {
        await this.#sendToFailureDestination(mapping, streamArn, shardId, remaining, 'RetryAttemptsExhausted', retries, functionError);
        pending.shift();
        continue;
      }
      if (functionError && mapping.bisectBatchOnFunctionError && remaining.length > 1) {
        const half = Math.ceil(remaining.length / 2);
        pending.splice(0, 1, { records: remaining.slice(0, half), retries }, { records: remaining.slice(half), retries });
      } else {
        pending[0] = { records: remaining, retries };
      }
    }
  }

  /**
   * Where a ReportBatchItemFailures response asks the batch to be retried from: the lowest failed
   * sequence number. An empty list is success; a malformed response or an identifier not in the batch
   * fails the whole batch, as Lambda treats it.
   */
  #firstFailure(records: _Record[], payload: unknown): number | undefined {
    if (payload === null || payload === undefined) return undefined;
    const failures = (payload as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined) return undefined;
    if (!Array.isArray(failures)) return 0;
    if (failures.length === 0) return undefined;
    const ids = failures.map((f) => (f as { itemIdentifier?: unknown })?.itemIdentifier);
    const indexes = ids.map((id) => records.findIndex((r) => typeof id === 'string' && id !== '' && sequence(r) === id));
    if (indexes.some((i) => i < 0)) return 0;
    return Math.min(...indexes);
  }

  async #sendToFailureDestination(
    mapping: EventSourceMapping,
    streamArn: string,
    shardId: string,
    records: _Record[],
    condition: FailureRecord['requestContext']['condition'],
    invokeCount: number,
    functionError: string | undefined,
  ): Promise<void> {
    const sorted = [...records].sort((a, b) => compareSequence(sequence(a), sequence(b)));
    const arrival = (r: _Record) => (r.dynamodb?.ApproximateCreationDateTime ?? new Date()).toISOString();
    const message: FailureRecord = {
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${this.options.region}:${this.options.account}:function:${mapping.functionLogicalId}`,
        condition,
        approximateInvokeCount: invokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(functionError ? { functionError } : {}) },
      version: '1.0',
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: sequence(sorted[0]!),
        endSequenceNumber: sequence(sorted.at(-1)!),
        approximateArrivalOfFirstRecord: arrival(sorted[0]!),
        approximateArrivalOfLastRecord: arrival(sorted.at(-1)!),
        batchSize: sorted.length,
        streamArn,
      },
    };
    process.stderr.write(`event source mapping ${mapping.logicalId}: ${sorted.length} record(s) to ${mapping.onFailure ?? 'nowhere (no destination)'}: ${condition}\n`);
    if (!mapping.onFailure) return;
    await this.#state.send(
      new PutItemCommand({
        TableName: this.options.stateTable,
        Item: { PK: { S: `ESM_FAILURES#${mapping.onFailure}` }, SK: { S: `${message.timestamp}#${message.requestContext.requestId}` }, message: { S: JSON.stringify(message) } },
      }),
    );
  }
}
