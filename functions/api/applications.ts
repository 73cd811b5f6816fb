import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { chinaDate } from '../domain/dates.js';
import { protectDetails } from '../domain/personal-data.js';
import { config } from '../config.js';
import { ApiError, notFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { startWorkflow } from '../services/workflow.js';
import { type ApplicationRecord, getApplication, listApplications, submitApplication } from '../store/applications.js';
import { listEvents } from '../store/events.js';
import { applicationView } from './views.js';

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
        status: 'SUBMITTED',
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
      await startWorkflow(outcome.application.id);
      return { status: 201, body: applicationView(outcome.application) };
    }
    if (outcome.requestHash !== requestHash) {
      throw new ApiError('IDEMPOTENCY_MISMATCH', '该 Idempotency-Key 已用于另一份不同的申请');
    }
    const existing = await getApplication(outcome.applicationId);
    if (!existing) throw new Error(`Idempotency record points to missing application ${outcome.applicationId}`);
    // The first attempt may have stopped between storing and starting: starting again is harmless.
    if (existing.status === 'SUBMITTED') await startWorkflow(existing.id);
    return { status: 200, body: applicationView(existing) };
  }),

  route(ENDPOINTS.listApplications, async ({ principal, query }) => {
    const { limit, nextToken, ...filter } = query;
    const page = await listApplications(
      principal.role === 'enterprise' ? { ...filter, uscc: principal.uscc } : filter,
      limit,
      nextToken,
    );
    return { status: 200, body: { ...page, items: page.items.map(applicationView) } };
  }),

  route(ENDPOINTS.getApplication, async ({ principal, params }) => {
    return { status: 200, body: applicationView(await visibleApplication(params.id, principal)) };
  }),

  route(ENDPOINTS.listApplicationEvents, async ({ principal, params, query }) => {
    await visibleApplication(params.id, principal);
    return { status: 200, body: await listEvents(params.id, query.limit, query.nextToken) };
  }),
]);
