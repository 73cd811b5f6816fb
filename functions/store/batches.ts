import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchStatus, PaymentResult } from '../domain/vocabulary.js';
import { monotonicFactory } from 'ulid';
import { type BatchLine, type BatchTotals, batchTotals } from '../domain/batch.js';
import { creditSubjectsOf } from '../domain/credit.js';
import { config } from '../config.js';
import { restrictedSubjects } from './credit.js';
import { type ApplicationRecord, transitionWrites } from './applications.js';
import { db } from './client.js';
import { GSI, keys, partitions } from './keys.js';
import { type Page, queryPage } from './pages.js';
import { ConflictError, transact } from './transactions.js';

const nextId = monotonicFactory();

export interface CreditHold {
  applicationId: string;
  uscc: string;
  programId: string;
  amount: string;
  reason: string;
}

/**
 * The third credit check (§5.8): an approved application whose enterprise or person is on the
 * 严重失信 list today is not paid; it is left out of the batch, stays APPROVED, and finance is told.
 */
export async function creditHolds(applications: readonly ApplicationRecord[]): Promise<CreditHold[]> {
  const held: CreditHold[] = [];
  for (const application of applications) {
    const restricted = await restrictedSubjects(creditSubjectsOf(application));
    if (restricted.length === 0) continue;
    const who = restricted.some((s) => s.startsWith('person:')) ? '所涉人员' : '申请企业';
    held.push({
      applicationId: application.id,
      uscc: application.uscc,
      programId: application.programId,
      amount: application.approvedAmount ?? '0.00',
      reason: `${who}列入严重失信主体名单，暂停支付`,
    });
  }
  return held;
}

export type StoredBatchStatus = 'CREATING' | BatchStatus;

export interface BatchRecord extends BatchTotals {
  batchId: string;
  status: StoredBatchStatus;
  createdAt: string;
  createdBy: string;
  /** Set when the batch was allowed past a program's budget: who, why, by how much. */
  overBudget?: { reason: string; excess: { programId: string; budget: string; wouldUse: string }[] };
  exports?: Record<string, { key: string; sha256: string; bytes: number; at: string; by: string }>;
  /** Approved applications left out because the enterprise or person is listed 严重失信 (§5.8), for finance. */
  creditHeld?: CreditHold[];
  /** How many items have a bank result. */
  settledCount?: number;
  version: number;
}

export interface BatchItem extends BatchLine {
  batchId: string;
  measure: string;
  result?: { status: PaymentResult; reference?: string; reason?: string; at: string; by: string };
}

function strip<T>(item: Record<string, unknown>): T {
  const { PK, SK, GSI3PK, GSI3SK, entity, ...rest } = item;
  return rest as T;
}

/** Each application costs three writes (application, batch item, event); DynamoDB allows 100 per transaction. */
const APPLICATIONS_PER_TRANSACTION = 30;

/**
 * Moves applications into a new batch. Each application moves with a conditional write (it must still
 * be as it was read), so an application lands in exactly one batch even when two officers create
 * batches at the same moment; the batch is written in chunks of transactions, atomic per application.
 * Applications another batch took meanwhile are left out. The header is written first (CREATING) and
 * opened with its exact totals at the end.
 */
export async function createBatch(
  batchId: string,
  createdBy: string,
  candidates: { application: ApplicationRecord; line: BatchLine; measure: string }[],
  overBudget?: BatchRecord['overBudget'],
  creditHeld: readonly CreditHold[] = [],
): Promise<BatchRecord | undefined> {
  const createdAt = new Date().toISOString();
  await db.send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...keys.batch(batchId), ...keys.batchIndex({ batchId, createdAt }), entity: 'Batch', batchId, status: 'CREATING', createdAt, createdBy, version: 1, count: 0, total: '0.00', byProgram: [], exports: {} },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );

  const added: BatchLine[] = [];
  for (let i = 0; i < candidates.length; i += APPLICATIONS_PER_TRANSACTION) {
    let chunk = candidates.slice(i, i + APPLICATIONS_PER_TRANSACTION);
    while (chunk.length > 0) {
      const writes = chunk.flatMap(({ application, line, measure }) => [
        // The application's update first: failedAt(j * 3) below finds it.
        ...transitionWrites(application, 'batch', { batchId, batchedAt: createdAt }, { actor: createdBy, data: { batchId, amount: line.amount } }, createdAt),
        { Put: { TableName: config.tableName, Item: { ...keys.batchItem(batchId, application.id), entity: 'BatchItem', batchId, measure, ...line } } },
      ]);
      try {
        await transact(writes);
        added.push(...chunk.map((c) => c.line));
        break;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Leave out the applications that changed since they were read (another batch took them).
        const lost = new Set(chunk.filter((_, j) => error.failedAt(j * 3)).map((c) => c.application.id));
        if (lost.size === 0) continue; // a transaction conflict: try the same chunk again
        chunk = chunk.filter((c) => !lost.has(c.application.id));
      }
    }
  }

  if (added.length === 0) {
    await db.send(new UpdateCommand({ TableName: config.tableName, Key: keys.batch(batchId), UpdateExpression: 'REMOVE GSI3PK, GSI3SK SET #status = :empty', ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':empty': 'EMPTY' } }));
    return undefined;
  }
  const totals = batchTotals(added);
  const held = creditHeld.length > 0 ? { creditHeld: [...creditHeld] } : {};
  const batch: BatchRecord = { batchId, status: 'OPEN', createdAt, createdBy, ...totals, settledCount: 0, version: 2, ...(overBudget ? { overBudget } : {}), ...held };
  await transact([
    {
      Update: {
        TableName: config.tableName,
        Key: keys.batch(batchId),
        UpdateExpression:
          'SET #status = :open, #count = :count, #total = :total, byProgram = :byProgram, settledCount = :zero, version = :v' +
          (overBudget ? ', overBudget = :over' : '') +
          (creditHeld.length > 0 ? ', creditHeld = :held' : ''),
        ConditionExpression: '#status = :creating',
        ExpressionAttributeNames: { '#status': 'status', '#count': 'count', '#total': 'total' },
        ExpressionAttributeValues: {
          ':open': 'OPEN',
          ':creating': 'CREATING',
          ':count': totals.count,
          ':total': totals.total,
          ':byProgram': totals.byProgram,
          ':zero': 0,
          ':v': 2,
          ...(overBudget ? { ':over': overBudget } : {}),
          ...(creditHeld.length > 0 ? { ':held': creditHeld } : {}),
        },
      },
    },
    batchEvent(batchId, 'BATCH_CREATED', createdBy, { count: totals.count, total: totals.total, ...(overBudget ? { overBudget } : {}), ...held }),
  ]);
  return batch;
}

export function batchEvent(batchId: string, type: string, actor: string, data: Record<string, unknown>) {
  const at = new Date().toISOString();
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...keys.batchEvent(batchId, at, nextId()), entity: 'BatchEvent', batchId, type, at, actor, data },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export async function getBatch(batchId: string): Promise<BatchRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.batch(batchId), ConsistentRead: true }));
  return Item && Item.status !== 'EMPTY' ? strip<BatchRecord>(Item) : undefined;
}

export async function listBatches(limit: number, nextToken?: string): Promise<Page<BatchRecord>> {
  return queryPage(
    { TableName: config.tableName, IndexName: GSI.all, KeyConditionExpression: 'GSI3PK = :p', ExpressionAttributeValues: { ':p': partitions.batches }, ScanIndexForward: false },
    { name: 'GSI3PK', value: partitions.batches },
    limit,
    nextToken,
    (item) => strip<BatchRecord>(item),
  );
}

/** The batch's items in application order, page by page, so that a large batch streams. */
export async function* batchItems(batchId: string): AsyncGenerator<BatchItem[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :item)',
        ExpressionAttributeValues: { ':pk': partitions.batch(batchId), ':item': keys.batchItemPrefix },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    yield (page.Items ?? []).map((item) => strip<BatchItem>(item));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** One page of a batch's items, in application order. */
export async function batchItemsPage(batchId: string, limit: number, nextToken?: string): Promise<Page<BatchItem>> {
  return queryPage(
    {
      TableName: config.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :item)',
      ExpressionAttributeValues: { ':pk': partitions.batch(batchId), ':item': keys.batchItemPrefix },
      ConsistentRead: true,
    },
    { name: 'PK', value: partitions.batch(batchId) },
    limit,
    nextToken,
    (item) => strip<BatchItem>(item),
  );
}

export async function getBatchItem(batchId: string, applicationId: string): Promise<BatchItem | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.batchItem(batchId, applicationId), ConsistentRead: true }));
  return Item ? strip<BatchItem>(Item) : undefined;
}

/** Records an export: the file's key and SHA-256; from now on the batch's items cannot change. */
export async function markExported(batch: BatchRecord, format: string, file: { key: string; sha256: string; bytes: number }, by: string): Promise<void> {
  const at = new Date().toISOString();
  await transact([
    {
      Update: {
        TableName: config.tableName,
        Key: keys.batch(batch.batchId),
        UpdateExpression: 'SET #status = :status, exports.#format = :file, version = version + :one',
        ConditionExpression: '#status IN (:open, :exported, :settled)',
        ExpressionAttributeNames: { '#status': 'status', '#format': format },
        ExpressionAttributeValues: {
          ':status': batch.status === 'SETTLED' ? 'SETTLED' : 'EXPORTED',
          ':file': { ...file, at, by },
          ':one': 1,
          ':open': 'OPEN',
          ':exported': 'EXPORTED',
          ':settled': 'SETTLED',
        },
      },
    },
    batchEvent(batch.batchId, 'BATCH_EXPORTED', by, { format, sha256: file.sha256, bytes: file.bytes, key: file.key }),
  ]);
}

/**
 * Records one bank result, with the application's new status and its event; the batch counts it and
 * is SETTLED with its last result. Conditioned on the item having no result yet.
 */
export async function recordPayment(
  batch: BatchRecord,
  item: BatchItem,
  application: ApplicationRecord,
  result: NonNullable<BatchItem['result']>,
): Promise<void> {
  const paid = result.status === 'paid';
  await transact([
    {
      Update: {
        TableName: config.tableName,
        Key: keys.batchItem(batch.batchId, item.applicationId),
        UpdateExpression: 'SET #result = :result',
        ConditionExpression: 'attribute_not_exists(#result)',
        ExpressionAttributeNames: { '#result': 'result' },
        ExpressionAttributeValues: { ':result': result },
      },
    },
    {
      Update: {
        TableName: config.tableName,
        Key: keys.batch(batch.batchId),
        UpdateExpression: 'SET settledCount = settledCount + :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    },
    ...(paid
      ? transitionWrites(application, 'paid', { paidAt: result.at, paymentReference: result.reference! }, { actor: result.by, data: { batchId: batch.batchId, amount: item.amount, reference: result.reference } }, result.at)
      : transitionWrites(
          application,
          'paymentFailed',
          { paymentFailure: { reason: result.reason!, batchId: batch.batchId, at: result.at } },
          { actor: result.by, data: { batchId: batch.batchId, amount: item.amount, reason: result.reason } },
          result.at,
        )),
  ]);
}

/** Closes a batch once every item has a result. */
export async function settleIfComplete(batchId: string, by: string): Promise<boolean> {
  try {
    await transact([
      {
        Update: {
          TableName: config.tableName,
          Key: keys.batch(batchId),
          UpdateExpression: 'SET #status = :settled',
          ConditionExpression: 'settledCount = #count AND #status = :exported',
          ExpressionAttributeNames: { '#status': 'status', '#count': 'count' },
          ExpressionAttributeValues: { ':settled': 'SETTLED', ':exported': 'EXPORTED' },
        },
      },
      batchEvent(batchId, 'BATCH_SETTLED', by, {}),
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
}
