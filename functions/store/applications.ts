import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Assessment } from '../domain/assessment.js';
import type { DuplicateWarning } from '../domain/duplicates.js';
import type { ApplicationStatus, ReviewStage } from '../domain/vocabulary.js';
import { type EventOf, type MayOf, PUBLICITY_BOOKKEEPING, type SetsOf, type TransitionName, TransitionRefused, eventOf, plan } from '../domain/lifecycle.js';
import type { Decider } from '../domain/review.js';
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
  /** Everyone who decided a stage (separation of duties: one stage per person); items written before
   * this shape are `<stage>:<sub>` strings, read by domain/review.ts's `decidersOf`. */
  deciders?: (Decider | string)[];
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
  /** When an unconfirmed proposal expires (免申即享, planned). */
  proposalExpiresOn?: string;
  // 公示 (publicity), written by store/publicity.ts.
  /** What Grant reserved in the ledger (released if an objection is upheld). */
  reservations?: { benefitKey: string; amount: string }[];
  noticeId?: string;
  /** The instant the period is over (the workflow's Wait ends then; objections are refused from then on). */
  publicityClosesAt?: string;
  /** The workflow's token for the current publicity wait (Await publicity, then End publicity). */
  publicityToken?: string;
  /** The period is over but an objection still holds the award. */
  publicityHeld?: boolean;
  openObjections?: number;
  /** 申报材料: the documents submitted, one per docType, and the docTypes promised instead (告知承诺). */
  documents?: { docType: string; documentId: string }[];
  promises?: string[];
  /** While RETURNED: the documents the reviewer asks to replace. */
  documentIssues?: { docType: string; comment: string }[];
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
/** `extra`: more items of the same transaction (after the four above), e.g. the documents it uses. */
export async function submitApplication(submitted: ApplicationRecord, idempotency: IdempotencyClaim, extra: readonly object[] = []): Promise<SubmitOutcome> {
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
      ...extra,
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

/** The fields a transition writes: those it must set, and those it may set (`Pick` also makes every
 * field the lifecycle names a field of the record). */
export type TransitionFields<N extends TransitionName> = Pick<ApplicationRecord, SetsOf<N>> & Partial<Pick<ApplicationRecord, MayOf<N>>>;

/**
 * A transaction Update of an application read at `current.version` that applies the lifecycle's
 * transition `name` (domain/lifecycle.ts): the target status and its index, the fields given, the
 * fields the transition clears, a bumped version. A transition the table does not allow from the
 * current status throws TransitionRefused; a concurrent change makes the whole transaction fail.
 */
function transitionUpdate<N extends TransitionName>(current: ApplicationRecord, name: N, fields: TransitionFields<N>, at = new Date().toISOString(), delivery?: PendingDelivery) {
  const { to, clears } = plan(current.status, name, Object.keys(fields));
  return versionedUpdate(current, { ...fields, status: to, ...keys.applicationStatusIndex(to), ...(delivery ? { delivery } : {}) }, clears, at);
}

/** Rewrites a recorded assessment in place (the ledger migration's key moves); the status stays. */
export function assessmentRewrite(current: ApplicationRecord, assessment: Assessment) {
  return versionedUpdate(current, { assessment }, [], new Date().toISOString());
}

/**
 * The 公示 path's own bookkeeping, written without a change of status (store/publicity.ts): the
 * workflow's token, the count of open objections, whether an objection holds the award past its
 * period, and a pending workflow call. Status changes go through the lifecycle's transitions only.
 */
export type PublicityBookkeeping = Partial<Pick<ApplicationRecord, (typeof PUBLICITY_BOOKKEEPING.fields)[number] | 'delivery'>>;
export function publicityBookkeeping(current: ApplicationRecord, fields: PublicityBookkeeping, at: string) {
  if (!(PUBLICITY_BOOKKEEPING.statuses as readonly string[]).includes(current.status)) throw new TransitionRefused('publicityBookkeeping', current.status);
  return versionedUpdate(current, fields, [], at);
}

function versionedUpdate(current: ApplicationRecord, fields: Record<string, unknown>, clears: readonly string[], at: string) {
  const set: Record<string, unknown> = { ...fields, updatedAt: at, version: current.version + 1 };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': current.version };
  const assignments = Object.entries(set).map(([field, value]) => {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    return `#${field} = :${field}`;
  });
  for (const field of clears) names[`#${field}`] = field;
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.application(current.id),
      UpdateExpression: `SET ${assignments.join(', ')}${clears.length ? ` REMOVE ${clears.map((f) => `#${f}`).join(', ')}` : ''}`,
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { ...names, '#version': 'version' },
      ExpressionAttributeValues: values,
    },
  };
}

/** Who made a transition happen, and what its event records beyond its type (the table gives the type). */
export type TransitionEvent<N extends TransitionName = TransitionName> = Omit<ApplicationEvent<EventOf<N>>, 'applicationId' | 'at' | 'type'>;

/**
 * The writes of one transition, for a transaction: the application's update, the transition's event,
 * and the workflow call that must follow it (an outbox item, shown on the application until delivered).
 * The update comes first, so `ConflictError.failedAt(i)` of a caller's offsets still finds it.
 */
export function transitionWrites<N extends TransitionName>(current: ApplicationRecord, name: N, fields: TransitionFields<N>, event: TransitionEvent<N>, at: string, outbox?: OutboxItem) {
  return [
    transitionUpdate(current, name, fields, at, outbox ? pendingDelivery(outbox) : undefined),
    eventPut({ ...event, type: eventOf(name), applicationId: current.id, at } as ApplicationEvent),
    ...(outbox ? [outboxPut(outbox)] : []),
  ];
}

/** Applies a transition with its event (and workflow call) in one transaction. */
export async function updateApplication<N extends TransitionName>(
  current: ApplicationRecord,
  name: N,
  fields: TransitionFields<N>,
  event: TransitionEvent<N>,
  outbox?: OutboxItem,
  /** Further writes that belong to the same change (a document marked used). */
  extra: readonly object[] = [],
): Promise<ApplicationRecord> {
  const at = outbox?.createdAt ?? new Date().toISOString();
  await transact([...transitionWrites(current, name, fields, event, at, outbox), ...(extra as Parameters<typeof transact>[0])]);
  return applied(current, name, fields, at, outbox ? pendingDelivery(outbox) : undefined);
}

/** The application as it is after a successful transitionUpdate. */
export function applied<N extends TransitionName>(current: ApplicationRecord, name: N, fields: TransitionFields<N>, at: string, delivery?: PendingDelivery): ApplicationRecord {
  const { to, clears } = plan(current.status, name, Object.keys(fields));
  const next: ApplicationRecord = { ...current, updatedAt: at, version: current.version + 1 };
  for (const field of clears) delete next[field];
  return { ...next, ...fields, status: to, ...(delivery ? { delivery } : {}) };
}
