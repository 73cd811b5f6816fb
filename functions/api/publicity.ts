import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { chinaDate } from '../domain/dates.js';
import { valueOn } from '../domain/parameters.js';
import { MAX_NOTICE_ITEMS, noticeItem, noticePeriod, publicityOpen } from '../domain/publicity.js';
import { REVIEWING_DEPARTMENTS, type ReviewingDepartment } from '../domain/vocabulary.js';
import { CalendarYearUnknownError } from '../domain/working-days.js';
import { ApiError, conflict, forbidden, invalid, notFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { deliver } from '../services/workflow.js';
import { loadParameters } from '../store/parameters.js';
import {
  type Notice,
  type Objection,
  PublicityConflict,
  addObjection,
  awaitingPublicity,
  getNotice,
  getObjection,
  listNotices,
  listObjections,
  publishNotice,
  resolveObjection,
} from '../store/publicity.js';
import { takeRequest } from '../store/rate-limit.js';
import { getRegistryEntry } from '../store/registry.js';
import { retryOnConflict } from '../store/transactions.js';

/** Objections per client address and window: enough for a person, too few for a flood. */
export const OBJECTION_RATE = { limit: 5, windowSeconds: 600 } as const;

/** The departments whose awards the caller publishes and whose objections it sees (admin: all). */
function departmentsOf(principal: Principal): readonly ReviewingDepartment[] {
  if (principal.role === 'admin') return REVIEWING_DEPARTMENTS;
  const dept = principal.role === 'reviewer' ? principal.dept : undefined;
  if (!REVIEWING_DEPARTMENTS.includes(dept as ReviewingDepartment)) throw forbidden('只有科技局、人社局审核人员或管理员可以办理公示');
  return [dept as ReviewingDepartment];
}

/** What the public reads: no application ids. */
const publicNotice = ({ noticeId, title, startsOn, endsOn, workingDays, items }: Notice) => ({
  noticeId,
  title,
  startsOn,
  endsOn,
  workingDays,
  items: items.map(({ applicationId, ...item }) => item),
});
const staffNotice = ({ noticeId, title, startsOn, endsOn, workingDays, items }: Notice) => ({ noticeId, title, startsOn, endsOn, workingDays, items });
const objectionView = ({ dept, ...objection }: Objection) => objection;

/** The client address, kept only as a hash (an address is personal data). */
const clientKey = (sourceIp: string) => createHash('sha256').update(sourceIp).digest('base64url').slice(0, 22);

export const handler = apiHandler([
  route(ENDPOINTS.publishNotice, async ({ principal, body }) => {
    const depts = departmentsOf(principal);
    const dept = principal.role === 'reviewer' ? depts[0] : undefined;
    const now = new Date();
    const workingDays = Number(valueOn(await loadParameters(), 'publicity.working-days', chinaDate(now)).value);
    let period;
    try {
      // PUBLICITY_SECONDS: the local stack's shortened period (demos and tests); never set in AWS.
      period = noticePeriod(now, workingDays, Number(process.env.PUBLICITY_SECONDS) || undefined);
    } catch (error) {
      if (error instanceof CalendarYearUnknownError) throw conflict(error.message);
      throw error;
    }
    const { notice, outbox } = await retryOnConflict(async () => {
      const awards = (await awaitingPublicity({ ...(dept ? { dept } : {}), ...(body.programIds ? { programIds: body.programIds } : {}) })).slice(0, MAX_NOTICE_ITEMS);
      if (awards.length === 0) throw conflict('没有待公示的项目');
      const names = await Promise.all(awards.map(async (award) => (await getRegistryEntry(award.uscc))?.name ?? award.uscc));
      const notice: Notice = {
        noticeId: ulid(),
        title: body.title,
        ...(dept ? { dept } : {}),
        ...period,
        items: awards.map((award, index) => noticeItem(index + 1, award, names[index]!)),
        publishedAt: now.toISOString(),
        publishedBy: principal.sub,
      };
      return { notice, outbox: await publishNotice(notice, awards) };
    });
    // Committed: a failed call stays in the outbox for the relay.
    await Promise.all(outbox.map((item) => deliver(item)));
    return { status: 201, body: staffNotice(notice) };
  }),

  route(ENDPOINTS.listPublicNotices, async ({ query }) => ({ status: 200, body: { items: (await listNotices(query.limit)).map(publicNotice) } })),

  route(ENDPOINTS.getPublicNotice, async ({ params }) => {
    const notice = await getNotice(params.noticeId);
    if (!notice) throw notFound('公示');
    return { status: 200, body: publicNotice(notice) };
  }),

  route(ENDPOINTS.postObjection, async ({ params, body, sourceIp }) => {
    if (!(await takeRequest('objection', clientKey(sourceIp), OBJECTION_RATE.limit, OBJECTION_RATE.windowSeconds))) {
      throw new ApiError('RATE_LIMITED', '提交过于频繁，请稍后再试');
    }
    const notice = await getNotice(params.noticeId);
    if (!notice) throw notFound('公示');
    const item = notice.items.find((i) => i.itemNo === body.itemNo);
    if (!item) throw invalid('itemNo', '公示中没有这一序号');
    try {
      const objection = await addObjection(notice, item, { name: body.name, contact: body.contact, reason: body.reason }, () => publicityOpen(notice.closesAt, new Date()));
      return { status: 202, body: { objectionId: objection.objectionId } };
    } catch (error) {
      if (error instanceof PublicityConflict) throw conflict(error.message);
      throw error;
    }
  }),

  route(ENDPOINTS.listObjections, async ({ principal }) => ({ status: 200, body: { items: (await listObjections(departmentsOf(principal))).map(objectionView) } })),

  route(ENDPOINTS.resolveObjection, async ({ principal, params, body }) => {
    const depts = departmentsOf(principal);
    const objection = await getObjection(params.id);
    if (!objection || !depts.includes(objection.dept)) throw notFound('异议');
    try {
      const { objection: resolved, outbox } = await resolveObjection(params.id, { ...body, by: principal.sub });
      if (outbox) await deliver(outbox);
      return { status: 200, body: objectionView(resolved) };
    } catch (error) {
      if (error instanceof PublicityConflict) throw conflict(error.message);
      throw error;
    }
  }),
]);
