import type { DuplicateWarning } from '../domain/duplicates.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import type { Decision, ReviewStage, TaskStatus } from '../domain/vocabulary.js';
import { withDecider } from '../domain/review.js';
import { type ApplicationRecord, transitionWrites } from './applications.js';
import { db } from './client.js';
import { eventPut } from './events.js';
import { GSI, keys, partitions } from './keys.js';
import type { OutboxItem } from './outbox.js';
import { type Page, queryPage } from './pages.js';
import { ConflictError, transact } from './transactions.js';

export interface TaskRecord {
  taskId: string;
  applicationId: string;
  programId: string;
  uscc: string;
  stage: ReviewStage;
  dept: string;
  /** The amount this stage is asked to approve. */
  amount: string;
  /** The workflow's task token: the decision is sent back with it. Never leaves the API. */
  token: string;
  status: TaskStatus;
  createdAt: string;
  dueAt: string;
  claimedBy?: string;
  decision?: Decision;
  comment?: string;
  approvedAmount?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** The application's duplicate warnings when the task was opened (§5.11). */
  duplicateWarnings?: DuplicateWarning[];
}

function fromItem(item: Record<string, unknown>): TaskRecord {
  const { PK, SK, GSI2PK, GSI2SK, entity, ...task } = item;
  return task as unknown as TaskRecord;
}

/**
 * Opens a review task and moves the application into its stage, atomically. Opening the same task
 * again (the workflow step retried with the same token) changes nothing.
 */
export async function openTask(task: TaskRecord, application: ApplicationRecord): Promise<'opened' | 'already-open'> {
  try {
    await transact([
      {
        Put: {
          TableName: config.tableName,
          Item: { ...keys.task(task.taskId), ...keys.openTaskIndex(task), entity: 'Task', ...task },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...transitionWrites(
        application,
        'openTask',
        { stage: task.stage, amountUnderReview: task.amount, openTaskId: task.taskId },
        { actor: 'workflow', data: { taskId: task.taskId, stage: task.stage, dept: task.dept, amount: task.amount, dueAt: task.dueAt } },
        task.createdAt,
      ),
    ]);
    return 'opened';
  } catch (error) {
    if (error instanceof ConflictError && error.failedAt(0)) return 'already-open';
    throw error;
  }
}

export async function getTask(taskId: string): Promise<TaskRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.task(taskId), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** Open tasks of one department, oldest first. */
export async function listOpenTasks(dept: string, limit: number, nextToken?: string): Promise<Page<TaskRecord>> {
  const partition = partitions.openTasks(dept);
  return queryPage(
    {
      TableName: config.tableName,
      IndexName: GSI.byStatus,
      KeyConditionExpression: 'GSI2PK = :partition',
      ExpressionAttributeValues: { ':partition': partition },
      ScanIndexForward: true,
    },
    { name: 'GSI2PK', value: partition },
    limit,
    nextToken,
    fromItem,
  );
}

export interface DecisionRecord {
  decision: Decision;
  comment?: string;
  approvedAmount?: string;
  decidedBy: string;
  /** return only: documents the enterprise must replace. */
  documentIssues?: { docType: string; comment: string }[];
}

/**
 * Records a decision: the task leaves the open list, the application takes the approved amount (or the
 * return comment) and remembers who decided, the DECIDED event is written and the decision's delivery
 * to the workflow is put in the outbox — all or nothing, and only while the task is open and not
 * claimed by someone else, so exactly one decision wins.
 */
export async function decideTask(task: TaskRecord, application: ApplicationRecord, decision: DecisionRecord, delivery: OutboxItem): Promise<TaskRecord> {
  const decidedAt = delivery.createdAt;
  const decided: TaskRecord = { ...task, ...decision, status: 'DECIDED', decidedAt };
  const fields = {
    // Items written with `stage:sub` strings are rewritten in the structured shape here.
    deciders: withDecider(application.deciders, { stage: task.stage, sub: decision.decidedBy, decision: decision.decision, at: decidedAt }),
    ...(decision.approvedAmount ? { amountUnderReview: decision.approvedAmount } : {}),
    ...(decision.decision === 'return' ? { returnComment: decision.comment ?? '', ...(decision.documentIssues ? { documentIssues: decision.documentIssues } : {}) } : {}),
  };
  await transact([
    {
      Update: {
        TableName: config.tableName,
        Key: keys.task(task.taskId),
        UpdateExpression:
          'SET #status = :decided, decision = :decision, decidedBy = :by, decidedAt = :at' +
          (decision.comment ? ', #comment = :comment' : '') +
          (decision.approvedAmount ? ', approvedAmount = :amount' : '') +
          ' REMOVE GSI2PK, GSI2SK',
        ConditionExpression: '#status = :open AND (attribute_not_exists(claimedBy) OR claimedBy = :by)',
        ExpressionAttributeNames: { '#status': 'status', ...(decision.comment ? { '#comment': 'comment' } : {}) },
        ExpressionAttributeValues: {
          ':decided': 'DECIDED' satisfies TaskStatus,
          ':open': 'OPEN' satisfies TaskStatus,
          ':decision': decision.decision,
          ':by': decision.decidedBy,
          ':at': decidedAt,
          ...(decision.comment ? { ':comment': decision.comment } : {}),
          ...(decision.approvedAmount ? { ':amount': decision.approvedAmount } : {}),
        },
      },
    },
    ...transitionWrites(
      application,
      'decide',
      fields,
      {
        actor: decision.decidedBy,
        data: {
          taskId: task.taskId,
          stage: task.stage,
          decision: decision.decision,
          amount: decision.approvedAmount ?? task.amount,
          ...(decision.comment ? { comment: decision.comment } : {}),
        },
      },
      decidedAt,
      delivery,
    ),
  ]);
  return decided;
}

/** Claims an open task for one reviewer (again by the same reviewer is harmless); another's claim wins. */
export async function claimTask(task: TaskRecord, by: string, claim: boolean): Promise<TaskRecord> {
  const at = new Date().toISOString();
  await transact([
    {
      Update: {
        TableName: config.tableName,
        Key: keys.task(task.taskId),
        UpdateExpression: claim ? 'SET claimedBy = :by, claimedAt = :at' : 'REMOVE claimedBy, claimedAt',
        ConditionExpression: claim
          ? '#status = :open AND (attribute_not_exists(claimedBy) OR claimedBy = :by)'
          : '#status = :open AND claimedBy = :by',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'OPEN' satisfies TaskStatus, ':by': by, ...(claim ? { ':at': at } : {}) },
      },
    },
    eventPut({ applicationId: task.applicationId, type: claim ? 'CLAIMED' : 'UNCLAIMED', at, actor: by, data: { taskId: task.taskId, stage: task.stage } }),
  ]);
  const next = { ...task };
  if (claim) next.claimedBy = by;
  else delete next.claimedBy;
  return next;
}

/** A transaction item that cancels an open task (its application was withdrawn). */
export function taskCancellation(taskId: string, at: string) {
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.task(taskId),
      UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at REMOVE GSI2PK, GSI2SK',
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':cancelled': 'CANCELLED' satisfies TaskStatus, ':open': 'OPEN' satisfies TaskStatus, ':at': at },
    },
  };
}
