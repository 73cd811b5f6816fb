import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Assessment } from '../domain/assessment.js';
import type { DuplicateWarning } from '../domain/duplicates.js';
import type { ApplicationStatus, ReviewStage } from '../domain/vocabulary.js';
import { config } from '../config.js';
import { db } from './client.js';
import { type ApplicationEvent, eventPut } from './events.js';
import { GSI, IDEMPOTENCY_TTL_ATTRIBUTE, IDEMPOTENCY_WINDOW_SECONDS, keys, partitions } from './keys.js';
import { type OutboxItem, type PendingDelivery, newOutboxItem, outboxPut, pendingDelivery } from './outbox.js';
import { type Page, hydrate, queryAll, queryPage } from './pages.js';
import { ConflictError, transact } from './transactions.js';

export interface ApplicationRecord {
  id: string;
  programId: string;
  uscc: string;
  status: ApplicationStatus;
  stage?: ReviewStage;
  /** As submitted (resident ID numbers are stored only as person key and masked form). */
  details: Record<string, unknown>;
  /** YYYY-MM-DD, Asia/Shanghai: the parameters in force on this day apply. */
  submittedOn: string;
  assessment?: Assessment;
  /** Applications this one looks like (§5.11), found at assessment. */
  duplicateWarnings?: DuplicateWarning[];
  /** The amount the current stage is asked to approve: the assessed amount, lowered by 核减. */
  amountUnderReview?: string;
  approvedAmount?: string;
  batchId?: string;
  /** The open review task, while one is open. */
  openTaskId?: string;
  /** `<stage>:<sub>` of everyone who decided a stage (separation of duties: one stage per person). */
  deciders?: string[];
  /** The reviewer's comment when the application was returned for revision. */
  returnComment?: string;
  /** While RETURNED: the workflow's token that the corrected details answer, and the deadline. */
  revisionToken?: string;
  revisionDueAt?: string;
  batchedAt?: string;
  paidAt?: string;
  paymentReference?: string;
  paymentFailure?: { reason: string; batchId: string; at: string };
  /** Why the application was withdrawn, by whom. */
  withdrawal?: { by: string; reason: string; at: string };
  /** A workflow call that follows the last change and has not reached the workflow yet. */
  delivery?: PendingDelivery;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const STORED_ONLY = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'entity'];

function fromItem(item: Record<string, unknown>): ApplicationRecord {
  const record = { ...item };
  for (const key of STORED_ONLY) delete record[key];
  return record as unknown as ApplicationRecord;
}

export interface IdempotencyClaim {
  key: string;
  /** SHA-256 of the canonical request, to tell a retry from a different request under the same key. */
  requestHash: string;
}

export type SubmitOutcome =
  | { created: true; application: ApplicationRecord; start: OutboxItem }
  | { created: false; applicationId: string; requestHash: string };

/**
 * Stores a new application, its idempotency record, its SUBMITTED event and the start of its workflow
 * (an outbox item) in one transaction. If the enterprise already used the key, nothing is written and
 * the earlier application is named instead.
 */
export async function submitApplication(submitted: ApplicationRecord, idempotency: IdempotencyClaim): Promise<SubmitOutcome> {
  const idempotencyKey = keys.idempotency(submitted.uscc, idempotency.key);
  const now = Math.floor(Date.parse(submitted.createdAt) / 1000);
  const start = newOutboxItem(submitted.id, { action: 'StartExecution' }, submitted.createdAt);
  const application: ApplicationRecord = { ...submitted, delivery: pendingDelivery(start) };
  try {
    await transact([
      {
        Put: {
          TableName: config.tableName,
          Item: { ...keys.application(application.id), ...keys.applicationIndexes(application), entity: 'Application', ...application },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: config.tableName,
          Item: {
            ...idempotencyKey,
            entity: 'Idempotency',
            applicationId: application.id,
            requestHash: idempotency.requestHash,
            createdAt: application.createdAt,
            [IDEMPOTENCY_TTL_ATTRIBUTE]: now + IDEMPOTENCY_WINDOW_SECONDS,
          },
          // TTL deletes late (often days after expiry): an expired record counts as absent.
          ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': IDEMPOTENCY_TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': now },
        },
      },
      eventPut({
        applicationId: application.id,
        type: 'SUBMITTED',
        at: application.createdAt,
        actor: application.uscc,
        data: { programId: application.programId },
      }),
      outboxPut(start),
    ]);
    return { created: true, application, start };
  } catch (error) {
    if (!(error instanceof ConflictError && error.failedAt(1))) throw error;
    const existing = await db.send(new GetCommand({ TableName: config.tableName, Key: idempotencyKey, ConsistentRead: true }));
    if (!existing.Item) throw error;
    return { created: false, applicationId: String(existing.Item.applicationId), requestHash: String(existing.Item.requestHash) };
  }
}

/** Every application in one status (all pages), oldest first: for batching and budget figures. */
export async function applicationsInStatus(status: ApplicationStatus): Promise<ApplicationRecord[]> {
  const items = await queryAll({
    TableName: config.tableName,
    IndexName: GSI.byStatus,
    KeyConditionExpression: 'GSI2PK = :status',
    ExpressionAttributeValues: { ':status': partitions.applicationsInStatus(status) },
  });
  return items.map(fromItem);
}

export async function getApplication(id: string): Promise<ApplicationRecord | undefined> {
  const result = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.application(id), ConsistentRead: true }));
  return result.Item ? fromItem(result.Item) : undefined;
}

/** Several applications by id (views that list tasks or batch items); missing ones are left out. */
export async function applicationsByIds(ids: readonly string[]): Promise<ApplicationRecord[]> {
  return (await hydrate([...new Set(ids)].map((id) => keys.application(id)))).map(fromItem);
}

export interface ApplicationFilter {
  uscc?: string;
  status?: ApplicationStatus;
  programId?: string;
  stage?: ReviewStage;
}

/**
 * Newest first, from the index that fits the filter; the other filters narrow the page. `caller` binds
 * the page tokens to one person (enterprise listings).
 */
export async function listApplications(filter: ApplicationFilter, limit: number, nextToken?: string, caller?: string): Promise<Page<ApplicationRecord>> {
  const [index, partitionName, partitionValue] = filter.uscc
    ? ([GSI.byEnterprise, 'GSI1PK', partitions.enterpriseApplications(filter.uscc)] as const)
    : filter.status
      ? ([GSI.byStatus, 'GSI2PK', partitions.applicationsInStatus(filter.status)] as const)
      : ([GSI.all, 'GSI3PK', partitions.allApplications] as const);

  const conditions: string[] = [];
  const values: Record<string, unknown> = { ':partition': partitionValue };
  const names: Record<string, string> = {};
  for (const field of ['status', 'programId', 'stage'] as const) {
    const value = filter[field];
    if (value === undefined || (field === 'status' && index === GSI.byStatus)) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  return queryPage(
    {
      TableName: config.tableName,
      IndexName: index,
      KeyConditionExpression: `${partitionName} = :partition`,
      ExpressionAttributeValues: values,
      ...(conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      ScanIndexForward: false,
    },
    { name: partitionName, value: partitionValue },
    limit,
    nextToken,
    fromItem,
    caller,
  );
}

export type ApplicationPatch = Partial<
  Pick<
    ApplicationRecord,
    | 'status'
    | 'stage'
    | 'details'
    | 'assessment'
    | 'duplicateWarnings'
    | 'amountUnderReview'
    | 'approvedAmount'
    | 'batchId'
    | 'openTaskId'
    | 'deciders'
    | 'returnComment'
    | 'revisionToken'
    | 'revisionDueAt'
    | 'withdrawal'
    | 'batchedAt'
    | 'paidAt'
    | 'paymentReference'
    | 'paymentFailure'
    | 'delivery'
  >
>;

/**
 * A transaction Update of an application read at `current.version`: applies the patch, keeps the
 * status index in step, bumps the version. A concurrent change makes the whole transaction fail.
 */
export function applicationUpdate(
  current: ApplicationRecord,
  patch: ApplicationPatch,
  remove: (keyof ApplicationPatch)[] = [],
  at = new Date().toISOString(),
) {
  const set: Record<string, unknown> = { ...patch, updatedAt: at, version: current.version + 1 };
  if (patch.status) Object.assign(set, keys.applicationStatusIndex(patch.status));
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': current.version };
  const assignments = Object.entries(set).map(([field, value]) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return `#${field} = :${field}`;
  });
  const removed = remove.filter((field) => !(field in patch));
  for (const field of removed) names[`#${field}`] = field;
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.application(current.id),
      UpdateExpression: `SET ${assignments.join(', ')}${removed.length ? ` REMOVE ${removed.map((f) => `#${f}`).join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { ...names, '#version': 'version' },
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Applies a patch and records its event atomically; a workflow call that must follow the change is
 * written in the same transaction (and shown on the application until delivered).
 */
export async function updateApplication(
  current: ApplicationRecord,
  patch: ApplicationPatch,
  event: Omit<ApplicationEvent, 'applicationId' | 'at'>,
  remove: (keyof ApplicationPatch)[] = [],
  outbox?: OutboxItem,
): Promise<ApplicationRecord> {
  const at = outbox?.createdAt ?? new Date().toISOString();
  const full = outbox ? { ...patch, delivery: pendingDelivery(outbox) } : patch;
  await transact([applicationUpdate(current, full, remove, at), eventPut({ ...event, applicationId: current.id, at }), ...(outbox ? [outboxPut(outbox)] : [])]);
  return applied(current, full, remove, at);
}

/** The application as it is after a successful applicationUpdate. */
export function applied(current: ApplicationRecord, patch: ApplicationPatch, remove: (keyof ApplicationPatch)[], at: string): ApplicationRecord {
  const next = { ...current, updatedAt: at, version: current.version + 1 };
  for (const field of remove) delete next[field];
  return { ...next, ...patch };
}
