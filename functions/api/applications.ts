import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { chinaDate } from '../domain/dates.js';
import { INITIAL_STATUSES, allows } from '../domain/lifecycle.js';
import { protectDetails } from '../domain/personal-data.js';
import { config } from '../config.js';
import { ApiError, conflict, notFound } from '../http/errors.js';
import { ProgramApplication } from '../../schemas/programs.js';
import { newOutboxItem, pendingDelivery } from '../store/outbox.js';
import { taskCancellation } from '../store/tasks.js';
import { ConflictError, transact } from '../store/transactions.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { deliver, deliverPending } from '../services/workflow.js';
import { type ApplicationRecord, applied, getApplication, listApplications, submitApplication, transitionWrites, updateApplication } from '../store/applications.js';
import { listEvents } from '../store/events.js';
import { applicationView, eventView } from './views.js';

/** Canonical JSON (keys sorted), so that the same request hashes the same however its keys are ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** An application the caller may see: an enterprise sees only its own; others' are 404, never 403. */
async function visibleApplication(id: string, principal: Principal): Promise<ApplicationRecord> {
  const application = await getApplication(id);
  if (!application || (principal.role === 'enterprise' && application.uscc !== principal.uscc)) throw notFound('申请');
  return application;
}

export const handler = apiHandler([
  route(ENDPOINTS.createApplication, async ({ principal, headers, body }) => {
    if (principal.role !== 'enterprise') throw new ApiError('FORBIDDEN', '只有企业可以提交申请');
    const requestHash = createHash('sha256').update(canonical(body)).digest('hex');
    const now = new Date();
    const outcome = await submitApplication(
      {
        id: ulid(),
        programId: body.programId,
        uscc: principal.uscc,
        status: INITIAL_STATUSES.submit.status,
        // Resident ID numbers are replaced by person key and masked form before anything is stored.
        details: protectDetails(body.details, await config.personKeySecret()) as Record<string, unknown>,
        submittedOn: chinaDate(now),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
      },
      { key: headers['idempotency-key'], requestHash },
    );

    if (outcome.created) {
      const started = await deliver(outcome.start);
      const application = started ? { ...outcome.application, delivery: undefined } : outcome.application;
      return { status: 201, body: applicationView(application, principal) };
    }
    if (outcome.requestHash !== requestHash) {
      throw new ApiError('IDEMPOTENCY_MISMATCH', '该 Idempotency-Key 已用于另一份不同的申请');
    }
    const existing = await getApplication(outcome.applicationId);
    if (!existing) throw new Error(`Idempotency record points to missing application ${outcome.applicationId}`);
    // The first attempt may have stopped between storing and starting: starting again is harmless.
    await deliverPending(existing);
    return { status: 200, body: applicationView(existing, principal) };
  }),

  route(ENDPOINTS.listApplications, async ({ principal, query }) => {
    const { limit, nextToken, ...filter } = query;
    const page = await listApplications(
      principal.role === 'enterprise' ? { ...filter, uscc: principal.uscc } : filter,
      limit,
      nextToken,
      principal.role === 'enterprise' ? principal.sub : undefined,
    );
    return { status: 200, body: { ...page, items: page.items.map((a) => applicationView(a, principal)) } };
  }),

  route(ENDPOINTS.getApplication, async ({ principal, params }) => {
    return { status: 200, body: applicationView(await visibleApplication(params.id, principal), principal) };
  }),

  route(ENDPOINTS.resubmitApplication, async ({ principal, params, body }) => {
    const application = await visibleApplication(params.id, principal);
    if (!allows(application.status, 'resubmit') || !application.revisionToken) throw conflict('只有被退回补正的申请才能修改后重新提交');
    const parsed = ProgramApplication.safeParse({ programId: application.programId, details: body.details });
    if (!parsed.success) {
      throw new ApiError('VALIDATION_ERROR', '请求参数有误', parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    }
    const details = protectDetails(parsed.data.details, await config.personKeySecret()) as Record<string, unknown>;
    const resume = newOutboxItem(application.id, { action: 'SendTaskSuccess', taskToken: application.revisionToken, output: JSON.stringify({ resubmitted: true }) });
    let resubmitted: ApplicationRecord;
    try {
      resubmitted = await updateApplication(application, 'resubmit', { details }, { actor: principal.sub }, resume);
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('申请已变更，请刷新后重试');
      throw error;
    }
    if (await deliver(resume)) delete resubmitted.delivery;
    return { status: 200, body: applicationView(resubmitted, principal) };
  }),

  route(ENDPOINTS.withdrawApplication, async ({ principal, params, body }) => {
    const application = await visibleApplication(params.id, principal);
    if (!allows(application.status, 'withdraw')) throw conflict(`状态为 ${application.status} 的申请不能撤回`);
    const at = new Date().toISOString();
    const withdrawal = { by: principal.sub, reason: body?.reason ?? '申请人撤回', at };
    const stop = newOutboxItem(application.id, { action: 'StopExecution', cause: withdrawal.reason }, at);
    try {
      await transact([
        ...transitionWrites(application, 'withdraw', { withdrawal }, { actor: principal.sub, data: { reason: withdrawal.reason, stage: application.stage } }, at, stop),
        ...(application.openTaskId ? [taskCancellation(application.openTaskId, at)] : []),
      ]);
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('申请正在变更，请刷新后重试');
      throw error;
    }
    const withdrawn = applied(application, 'withdraw', { withdrawal }, at, pendingDelivery(stop));
    if (await deliver(stop)) delete withdrawn.delivery;
    return { status: 200, body: applicationView(withdrawn, principal) };
  }),

  route(ENDPOINTS.listApplicationEvents, async ({ principal, params, query }) => {
    const application = await visibleApplication(params.id, principal);
    const page = await listEvents(params.id, query.limit, query.nextToken, principal.role === 'enterprise' ? principal.sub : undefined);
    return { status: 200, body: { ...page, items: page.items.map((event) => eventView(event, application, principal)) } };
  }),
]);
