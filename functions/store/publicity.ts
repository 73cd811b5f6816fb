import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { config } from '../config.js';
import { formatYuan, sumYuan, yuan } from '../domain/money.js';
import type { NoticeItem, NoticePeriod } from '../domain/publicity.js';
import type { ObjectionOutcome, ObjectionStatus, ReviewingDepartment } from '../domain/vocabulary.js';
import { type ApplicationRecord, getApplication, publicityBookkeeping, transitionWrites } from './applications.js';
import { db } from './client.js';
import { eventPut } from './events.js';
import { GSI, keys, partitions } from './keys.js';
import { readLedger, totalUpdate } from './ledger.js';
import { type OutboxItem, newOutboxItem, outboxPut, pendingDelivery } from './outbox.js';
import { queryAll } from './pages.js';
import { ConflictError, retryOnConflict, transact } from './transactions.js';

/**
 * 公示 (§5.14): the publicity path — AWAITING_PUBLICITY → PUBLICIZING → APPROVED, or REJECTED with
 * the ledger reservation released — each change one transaction conditioned on the application's
 * version; the status changes are the lifecycle's transitions (domain/lifecycle.ts). The workflow's two waits are answered through the outbox (SendTaskSuccess);
 * callers deliver the items returned here (services/workflow.ts).
 */

export interface Notice extends NoticePeriod {
  noticeId: string;
  title: string;
  dept?: ReviewingDepartment;
  items: NoticeItem[];
  publishedAt: string;
  publishedBy: string;
}

export interface Objection {
  objectionId: string;
  noticeId: string;
  itemNo: number;
  applicationId: string;
  dept: ReviewingDepartment;
  item: NoticeItem;
  name: string;
  contact: string;
  reason: string;
  status: ObjectionStatus;
  createdAt: string;
  resolution?: { outcome: ObjectionOutcome; comment: string; by: string; at: string };
}

export class PublicityConflict extends Error {}

const strip = <T>(item: Record<string, unknown>): T => {
  const { PK, SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, entity, ...rest } = item;
  return rest as T;
};

/** The call that answers a publicity wait, written beside the change it follows. */
function answer(application: ApplicationRecord, token: string, output: Record<string, unknown>, at: string): OutboxItem {
  return newOutboxItem(application.id, { action: 'SendTaskSuccess', taskToken: token, output: JSON.stringify(output) }, at);
}

/**
 * Await publicity (workflow step, with a task token): an award waiting for a notice keeps the token
 * for the publication to answer. If a notice took it first, the token is answered at once.
 */
export async function awaitPublicity(applicationId: string, token: string): Promise<OutboxItem | undefined> {
  return retryOnConflict(async () => {
    const application = await getApplication(applicationId);
    if (!application) throw new Error(`Application ${applicationId} not found`);
    if (application.publicityToken === token) return undefined;
    const at = new Date().toISOString();
    if (application.status === 'AWAITING_PUBLICITY') {
      await transact([publicityBookkeeping(application, { publicityToken: token }, at)]);
      return undefined;
    }
    if (application.status === 'PUBLICIZING' && application.publicityClosesAt) {
      const item = answer(application, token, { closesAt: application.publicityClosesAt }, at);
      await transact([publicityBookkeeping(application, { delivery: pendingDelivery(item), publicityToken: token }, at), outboxPut(item)]);
      return item;
    }
    throw new Error(`Application ${applicationId} is ${application.status}, not awaiting publicity`);
  });
}

/** Awards awaiting a notice, oldest first, of the given department and programs. */
export async function awaitingPublicity(filter: { dept?: ReviewingDepartment; programIds?: readonly string[] }): Promise<ApplicationRecord[]> {
  const items = await queryAll({
    TableName: config.tableName,
    IndexName: GSI.byStatus,
    KeyConditionExpression: 'GSI2PK = :status',
    ExpressionAttributeValues: { ':status': partitions.applicationsInStatus('AWAITING_PUBLICITY') },
  });
  // The index holds keys and a few attributes: each award is read whole (and current) from the table.
  const awards = await Promise.all(items.map((item) => getApplication(String(item.PK).slice('APP#'.length))));
  return awards.filter(
    (award): award is ApplicationRecord =>
      award?.status === 'AWAITING_PUBLICITY' &&
      (!filter.dept || award.assessment?.department === filter.dept) &&
      (!filter.programIds || filter.programIds.includes(award.programId)),
  );
}

/**
 * Publishes a notice of these awards in one transaction, each conditioned on the version read: of two
 * simultaneous publications one fails whole (ConflictError), so no award is ever in two notices.
 */
export async function publishNotice(notice: Notice, awards: readonly ApplicationRecord[]): Promise<OutboxItem[]> {
  const at = notice.publishedAt;
  const outbox: OutboxItem[] = [];
  const writes = awards.flatMap((award) => {
    const item = notice.items.find((i) => i.applicationId === award.id)!;
    const call = award.publicityToken ? answer(award, award.publicityToken, { closesAt: notice.closesAt }, at) : undefined;
    if (call) outbox.push(call);
    return transitionWrites(
      award,
      'publicize',
      { noticeId: notice.noticeId, publicityClosesAt: notice.closesAt, openObjections: 0 },
      { actor: notice.publishedBy, data: { noticeId: notice.noticeId, itemNo: item.itemNo, startsOn: notice.startsOn, endsOn: notice.endsOn } },
      at,
      call,
    );
  });
  await transact([
    {
      Put: {
        TableName: config.tableName,
        Item: { ...keys.notice(notice.noticeId), ...keys.noticeIndex(notice), entity: 'Notice', ...notice },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    ...writes,
  ]);
  return outbox;
}

export async function getNotice(noticeId: string): Promise<Notice | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.notice(noticeId), ConsistentRead: true }));
  return Item ? strip<Notice>(Item) : undefined;
}

/** The newest notices first (the index holds keys only: each notice is then read whole). */
export async function listNotices(limit: number): Promise<Notice[]> {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: config.tableName,
      IndexName: GSI.all,
      KeyConditionExpression: 'GSI3PK = :notices',
      ExpressionAttributeValues: { ':notices': partitions.notices },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const notices = await Promise.all(Items.map((item) => getNotice(String(item.PK).slice('NOTICE#'.length))));
  return notices.filter((notice): notice is Notice => notice !== undefined);
}

/**
 * Records an objection to one award while its period runs: the objection, the award's count of open
 * objections and its trail event in one transaction. `stillOpen` is asked again on every attempt, so
 * an objection that loses a race to the period's end is refused (PublicityConflict).
 */
export async function addObjection(
  notice: Notice,
  item: NoticeItem,
  objection: { name: string; contact: string; reason: string },
  stillOpen: () => boolean,
): Promise<Objection> {
  return retryOnConflict(async () => {
    const application = await getApplication(item.applicationId);
    if (!stillOpen() || application?.status !== 'PUBLICIZING' || application.noticeId !== notice.noticeId) {
      throw new PublicityConflict('公示期已结束或该项目已不在公示中，不再受理异议');
    }
    const createdAt = new Date().toISOString();
    const record: Objection = {
      objectionId: ulid(),
      noticeId: notice.noticeId,
      itemNo: item.itemNo,
      applicationId: item.applicationId,
      dept: application.assessment!.department,
      item,
      ...objection,
      status: 'OPEN',
      createdAt,
    };
    await transact([
      {
        Put: {
          TableName: config.tableName,
          Item: { ...keys.objection(record.objectionId), ...keys.objectionIndex(record), entity: 'Objection', ...record },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      publicityBookkeeping(application, { openObjections: (application.openObjections ?? 0) + 1 }, createdAt),
      // The objector's name and contact stay on the objection (staff only), not on the enterprise's trail.
      eventPut({ applicationId: application.id, type: 'OBJECTION_RECEIVED', at: createdAt, actor: 'public', data: { objectionId: record.objectionId, noticeId: notice.noticeId } }),
    ]);
    return record;
  });
}

export async function getObjection(objectionId: string): Promise<Objection | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.objection(objectionId), ConsistentRead: true }));
  return Item ? strip<Objection>(Item) : undefined;
}

/** Objections to the departments' awards, newest first. */
export async function listObjections(depts: readonly ReviewingDepartment[]): Promise<Objection[]> {
  const lists = await Promise.all(
    depts.map((dept) =>
      queryAll({
        TableName: config.tableName,
        IndexName: GSI.byStatus,
        KeyConditionExpression: 'GSI2PK = :dept',
        ExpressionAttributeValues: { ':dept': partitions.objections(dept) },
      }),
    ),
  );
  const objections = await Promise.all(lists.flat().map((item) => getObjection(String(item.PK).slice('OBJECTION#'.length))));
  return objections.filter((o): o is Objection => o !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Deletes the award's grants from the ledger and lowers each key's total, conditioned on the versions read. */
async function releaseWrites(application: ApplicationRecord) {
  const reserved = application.reservations ?? [];
  const view = await readLedger({ keys: reserved.map((r) => r.benefitKey) });
  return reserved.flatMap(({ benefitKey }) => {
    const others = view.grants.filter((g) => g.benefitKey === benefitKey && g.grantId !== application.id);
    return [
      { Delete: { TableName: config.tableName, Key: keys.benefitGrant(benefitKey, application.id), ConditionExpression: 'attribute_exists(PK)' } },
      totalUpdate(benefitKey, view.versions.get(benefitKey) ?? 0, formatYuan(sumYuan(others.map((g) => yuan(g.amount))))),
    ];
  });
}

/**
 * End publicity (workflow step, with a task token, after the period's Wait): an award no objection
 * holds becomes APPROVED (payable) and the token is answered; one with an open objection keeps the
 * token until the department resolves it; one already REJECTED (upheld) is answered as it is.
 */
export async function endPublicity(applicationId: string, token: string): Promise<OutboxItem | undefined> {
  return retryOnConflict(async () => {
    const application = await getApplication(applicationId);
    if (!application) throw new Error(`Application ${applicationId} not found`);
    const at = new Date().toISOString();
    if (application.status === 'PUBLICIZING' && (application.openObjections ?? 0) > 0) {
      if (application.publicityHeld && application.publicityToken === token) return undefined;
      await transact([
        publicityBookkeeping(application, { publicityToken: token, publicityHeld: true }, at),
        eventPut({ applicationId, type: 'PUBLICITY_ENDED', at, actor: 'workflow', data: { noticeId: application.noticeId, held: true, openObjections: application.openObjections } }),
      ]);
      return undefined;
    }
    if (application.status === 'PUBLICIZING') {
      const item = answer(application, token, { status: 'APPROVED' }, at);
      await transact(transitionWrites(application, 'publicityPassed', {}, { actor: 'workflow', data: { noticeId: application.noticeId, held: false } }, at, item));
      return item;
    }
    // Decided already (an upheld objection, or a replay after the change): the workflow only hears how it
    // ended. Answering a token twice is harmless (services/workflow.ts ignores a used token).
    const item = answer(application, token, { status: application.status }, at);
    await transact([publicityBookkeeping(application, { delivery: pendingDelivery(item) }, at), outboxPut(item)]);
    return item;
  });
}

/**
 * Resolves an objection with the department's comment. Dismissed: the award goes on (APPROVED now if the
 * period is over and nothing else holds it). Upheld: REJECTED, its ledger reservation released in the
 * same transaction, the reason on the enterprise's trail. A workflow waiting on the award is answered.
 */
export async function resolveObjection(
  objectionId: string,
  resolution: { outcome: ObjectionOutcome; comment: string; by: string },
): Promise<{ objection: Objection; outbox?: OutboxItem }> {
  return retryOnConflict(async () => {
    const objection = await getObjection(objectionId);
    if (!objection) throw new PublicityConflict('not found');
    if (objection.status !== 'OPEN') throw new PublicityConflict('该异议已处理');
    const application = (await getApplication(objection.applicationId))!;
    const at = new Date().toISOString();
    const resolved: Objection = { ...objection, status: resolution.outcome === 'upheld' ? 'UPHELD' : 'DISMISSED', resolution: { ...resolution, at } };
    const objectionWrite = {
      Update: {
        TableName: config.tableName,
        Key: keys.objection(objectionId),
        UpdateExpression: 'SET #status = :status, resolution = :resolution',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': resolved.status, ':resolution': resolved.resolution, ':open': 'OPEN' },
      },
    };
    const data = { objectionId, outcome: resolution.outcome, comment: resolution.comment };
    const resolvedEvent = eventPut({ applicationId: application.id, type: 'OBJECTION_RESOLVED', at, actor: resolution.by, data });
    if (application.status !== 'PUBLICIZING') {
      // The award was decided already (another objection upheld): only the objection is closed.
      await transact([objectionWrite, resolvedEvent]);
      return { objection: resolved };
    }
    const open = Math.max(0, (application.openObjections ?? 0) - 1);
    // A workflow held past the period waits for this resolution; one still in its period is answered at its end.
    const waiting = application.publicityHeld ? application.publicityToken : undefined;
    let outbox: OutboxItem | undefined;
    let writes: Parameters<typeof transact>[0];
    if (resolution.outcome === 'upheld') {
      outbox = waiting ? answer(application, waiting, { status: 'REJECTED' }, at) : undefined;
      writes = [
        objectionWrite,
        ...transitionWrites(application, 'objectionUpheld', { openObjections: open }, { actor: resolution.by, data }, at, outbox),
        ...(await releaseWrites(application)),
      ];
    } else if (open === 0 && waiting) {
      outbox = answer(application, waiting, { status: 'APPROVED' }, at);
      writes = [
        objectionWrite,
        resolvedEvent,
        ...transitionWrites(application, 'publicityPassed', { openObjections: 0 }, { actor: resolution.by, data: { noticeId: application.noticeId, held: false } }, at, outbox),
      ];
    } else {
      writes = [objectionWrite, resolvedEvent, publicityBookkeeping(application, { openObjections: open }, at)];
    }
    try {
      await transact(writes);
    } catch (error) {
      // The objection was resolved meanwhile by someone else: say so rather than retry.
      if (error instanceof ConflictError && error.failedAt(0)) throw new PublicityConflict('该异议已处理');
      throw error;
    }
    return { objection: resolved, ...(outbox ? { outbox } : {}) };
  });
}
