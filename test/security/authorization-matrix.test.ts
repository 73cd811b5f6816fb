import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENDPOINTS } from '../../schemas/api.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';

type Outcome = 'allow' | 401 | 403 | 'hidden';
interface Row extends Record<string, Outcome | string> {
  route: string;
}
const matrix = parse(readFileSync(path.join(import.meta.dirname, 'authorization-matrix.yaml'), 'utf8')) as { callers: string[]; routes: Row[] };

const DOCUMENT = { docType: 'business-licence', fileName: '营业执照.pdf', contentType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64) };

describe('the authorization matrix', () => {
  it('covers every route of the API', () => {
    const routes = Object.values(ENDPOINTS).map((e) => `${e.method} ${e.path}`);
    expect(matrix.routes.map((r) => r.route).sort()).toEqual(routes.sort());
  });

  const stack = new LocalStackProcess({ inMemory: true });
  const owner = uscc(101);
  let callers: Record<string, ApiClient>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await stack.start();
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    await admin.put(`/registry/${owner}`, registryEntry());
    callers = {
      none: new ApiClient(stack, undefined),
      own: await stack.as({ sub: 'clerk-own', role: 'enterprise', uscc: owner }),
      other: await stack.as({ sub: 'clerk-other', role: 'enterprise', uscc: uscc(102) }),
      park: await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' }),
      kejiju: await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' }),
      finance: await stack.as({ sub: 'finance-1', role: 'finance' }),
      admin,
    };
    const { body } = await callers.own!.post('/applications', platformAward('AUTHZ-1'), { 'idempotency-key': 'authz-000001' });
    ids.id = body.id;
    const task = await eventually(async () => (await callers.park!.get('/tasks')).body.items[0], 'the park task');
    ids.taskId = task.taskId;
    ids.batchId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    // The park's notification of that task (from the event stream): only the park's reviewers may read it.
    const notification = await eventually(async () => (await callers.park!.get('/notifications')).body.items[0], 'the park notification');
    ids.notificationId = notification.notificationId;
    // A document of the owner that no application uses yet: only its owner sees it.
    ids.documentId = (await callers.own!.post('/documents', DOCUMENT)).body.documentId;
  });
  afterAll(() => stack.stop());

  /** A request that passes validation where it can, but changes as little as possible. */
  function request(route: string): { method: string; path: string; body?: unknown } {
    const [method, template] = route.split(' ') as [string, string];
    const url = template
      .replace('{id}', template.startsWith('/batches') ? ids.batchId! : template.startsWith('/notifications') ? ids.notificationId! : template.startsWith('/documents') ? ids.documentId! : ids.id!)
      .replace('{taskId}', ids.taskId!)
      .replace('{documentId}', ids.documentId!)
      .replace('{uscc}', owner)
      .replace('{name}', 'm9.shanxi.third-prize');
    const bodies: Record<string, unknown> = {
      'POST /quotes': { ...platformAward('AUTHZ-Q'), uscc: owner },
      'POST /applications': { programId: 'platform-award', details: {} },
      'PUT /applications/{id}': { details: {} },
      'POST /applications/{id}/withdraw': {},
      // Valid, but more than the task's amount: refused after the task's visibility is checked.
      'POST /tasks/{taskId}/decision': { decision: 'approve', approvedAmount: '999999999.00' },
      'POST /batches': { programIds: ['talent-housing'] },
      'POST /batches/{id}/payments': { results: [] },
      'PUT /registry/{uscc}': registryEntry(),
      'PUT /notification-preferences': { emailOff: [] },
      'PUT /parameters/{name}': { from: 'bad' },
      'POST /ledger/grants': { grants: [] },
      'POST /credit/restrictions': { entries: [] },
      // Valid bodies: the department check comes after validation.
      'POST /publicity': { title: '授权矩阵' },
      'POST /objections/{id}/resolution': { outcome: 'dismissed', comment: '授权矩阵' },
      'POST /documents': DOCUMENT,
    };
    return { method, path: url, body: bodies[route] ?? (method === 'GET' ? undefined : {}) };
  }

  const cells = matrix.routes.flatMap((row) => matrix.callers.map((caller) => [row.route, caller, row[caller] as Outcome] as const));
  it.each(cells)('%s as %s → %s', async (route, caller, expected) => {
    const { method, path: url, body } = request(route);
    const { status } = await callers[caller]!.request(method, url, body);
    if (expected === 'allow') expect([401, 403]).not.toContain(status);
    else if (expected === 'hidden') expect(status).toBe(404);
    else expect(status).toBe(expected);
  });
});
