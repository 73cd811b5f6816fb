import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { WorkflowCallAction } from '../domain/vocabulary.js';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { config } from '../config.js';
import { db } from './client.js';
import { GSI, keys, partitions } from './keys.js';
import { queryAll } from './pages.js';
import { ConflictError, transact } from './transactions.js';

/**
 * A call to the workflow that must follow a state change. It is written in the same transaction as the
 * change, so that a crash between the commit and the call loses nothing: the relay makes it later.
 */
export type WorkflowCall =
  | { action: 'StartExecution' }
  | { action: 'SendTaskSuccess'; taskToken: string; output: string }
  | { action: 'StopExecution'; cause: string };
// Each action of the vocabulary has its call shape here, and there is no other: else this does not compile.
const callsMatchVocabulary: [WorkflowCall['action'], WorkflowCallAction] extends [WorkflowCallAction, WorkflowCall['action']] ? true : never = true;
void callsMatchVocabulary;

export interface OutboxItem {
  id: string;
  applicationId: string;
  call: WorkflowCall;
  createdAt: string;
  attempts?: number;
  lastError?: string;
  lastAttemptAt?: string;
}

/** What an application shows while one of its workflow calls is outstanding. */
export interface PendingDelivery {
  outboxId: string;
  action: WorkflowCall['action'];
  since: string;
}

export function newOutboxItem(applicationId: string, call: WorkflowCall, at = new Date().toISOString()): OutboxItem {
  return { id: ulid(), applicationId, call, createdAt: at };
}

export const pendingDelivery = (item: OutboxItem): PendingDelivery => ({ outboxId: item.id, action: item.call.action, since: item.createdAt });

/** The outbox item as a transaction Put, beside the state change it follows. */
export function outboxPut(item: OutboxItem) {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...keys.outbox(item.id), ...keys.outboxIndex(item), entity: 'Outbox', ...item },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

function fromItem(item: Record<string, unknown>): OutboxItem {
  const { PK, SK, GSI2PK, GSI2SK, entity, ...rest } = item;
  return rest as unknown as OutboxItem;
}

export async function getOutboxItem(id: string): Promise<OutboxItem | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.outbox(id), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** Every undelivered call created before `before`, oldest first. */
export async function pendingOutbox(before = '\uffff'): Promise<OutboxItem[]> {
  const items = await queryAll({
    TableName: config.tableName,
    IndexName: GSI.byStatus,
    KeyConditionExpression: 'GSI2PK = :outbox AND GSI2SK < :before',
    ExpressionAttributeValues: { ':outbox': partitions.outbox, ':before': before },
  });
  return items.map(fromItem);
}

/**
 * Removes a delivered call, and the application's pending mark with it if the mark is still this call's.
 * Marking twice is harmless.
 */
export async function markOutboxDelivered(item: OutboxItem): Promise<void> {
  const removeItem = { Delete: { TableName: config.tableName, Key: keys.outbox(item.id) } };
  try {
    await transact([
      removeItem,
      {
        Update: {
          TableName: config.tableName,
          Key: keys.application(item.applicationId),
          UpdateExpression: 'REMOVE delivery',
          ConditionExpression: 'delivery.outboxId = :id',
          ExpressionAttributeValues: { ':id': item.id },
        },
      },
    ]);
  } catch (error) {
    // The mark names another call (or is gone): only the item goes.
    if (!(error instanceof ConflictError && error.failedAt(1))) throw error;
    await db.send(new DeleteCommand(removeItem.Delete));
  }
}

/** Counts a failed attempt and keeps its error, for administrators; an item already delivered stays gone. */
export async function recordOutboxFailure(item: OutboxItem, error: string): Promise<void> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: keys.outbox(item.id),
        UpdateExpression: 'SET attempts = if_not_exists(attempts, :zero) + :one, lastError = :error, lastAttemptAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':error': error.slice(0, 1000), ':at': new Date().toISOString() },
      }),
    );
  } catch (failure) {
    if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
  }
}
