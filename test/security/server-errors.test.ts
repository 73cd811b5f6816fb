import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, type Endpoint } from '../../schemas/api.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, type ApiResponse, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Refused as the contract says: 400 VALIDATION_ERROR naming the page token. */
function expectTokenRefused(response: ApiResponse, what: string) {
  expect(response.status, what).toBe(400);
  expect(response.body.error.code, what).toBe('VALIDATION_ERROR');
  expect(response.body.error.issues.map((i: { path: string }) => i.path), what).toEqual(['query.nextToken']);
}

/** Follows nextToken to the end; every page answers 200. */
async function allPages(client: ApiClient, route: string): Promise<{ items: unknown[]; tokens: string[] }> {
  const items: unknown[] = [];
  const tokens: string[] = [];
  let nextToken: string | undefined;
  do {
    const { status, body } = await client.get(`${route}${route.includes('?') ? '&' : '?'}limit=1${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`);
    expect(status).toBe(200);
    items.push(...body.items);
    nextToken = body.nextToken;
    if (nextToken) tokens.push(nextToken);
  } while (nextToken);
  return { items, tokens };
}

/**
 * Input that used to reach a 500 (each also feeds the 5xx alarm in AWS): crafted page tokens on every
 * listing, a JSON `null` body on every route with a body, and the same bank result recorded at once.
 */
describe('no server error from bad input', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const [usccA, usccB] = [uscc(141), uscc(142)];
  let admin: ApiClient;
  let clerkA: ApiClient;
  let clerkA2: ApiClient;
  let clerkB: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let finance: ApiClient;
  const ids: string[] = [];
  let batchId = '';

  const taskOf = (reviewer: ApiClient, id: string) =>
    eventually(async () => (await reviewer.get('/tasks?limit=100')).body.items.find((t: { applicationId: string }) => t.applicationId === id), `a task of ${id}`);

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    for (const id of [usccA, usccB]) expect((await admin.put(`/registry/${id}`, registryEntry())).status).toBe(200);
    clerkA = await stack.as({ sub: 'clerk-a', role: 'enterprise', uscc: usccA });
    clerkA2 = await stack.as({ sub: 'clerk-a2', role: 'enterprise', uscc: usccA });
    clerkB = await stack.as({ sub: 'clerk-b', role: 'enterprise', uscc: usccB });
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
    for (let i = 0; i < 3; i++) {
      const { status, body } = await clerkA.post('/applications', platformAward(`LAB-PAGE-${i}`, 'municipal-tech-innovation-center'), { 'idempotency-key': `page-token-${i}`.padEnd(12, '0') });
      expect(status).toBe(201);
      ids.push(body.id);
    }
    await clerkB.post('/applications', platformAward('LAB-PAGE-B', 'municipal-tech-innovation-center'), { 'idempotency-key': 'page-token-b0' });
    // Two approved awards in a batch, exported: ready for bank results.
    for (const id of ids.slice(0, 2)) {
      for (const reviewer of [park, kejiju]) {
        const task = await taskOf(reviewer, id);
        expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
      }
      await throughPublicity(kejiju, admin, [id]);
    }
    await taskOf(park, ids[2]!);
    const batch = await finance.post('/batches', {});
    expect(batch.status).toBe(201);
    batchId = batch.body.batchId;
    expect((await fetch(`${stack.url}/batches/${batchId}/export?format=csv`, { headers: { authorization: `Bearer ${finance.token}` } })).status).toBe(200);
    expect((await admin.post('/credit/restrictions', { entries: [{ subjectType: 'enterprise', subjectId: usccB, listedOn: '2025-01-01', reason: '测试' }] })).status).toBeLessThan(300);
  });
  afterAll(() => stack.stop());

  describe('page tokens', () => {
    const LISTINGS = (): [string, ApiClient, string][] => [
      ['GET /applications', clerkA, '/applications'],
      ['GET /applications (staff)', admin, '/applications'],
      ['GET /applications/{id}/events', clerkA, `/applications/${ids[0]}/events`],
      ['GET /tasks', park, '/tasks'],
      ['GET /batches', finance, '/batches'],
      ['GET /batches/{id}', finance, `/batches/${batchId}`],
      ['GET /registry', admin, '/registry'],
      ['GET /credit/restrictions', admin, '/credit/restrictions'],
    ];

    it('pages through every listing with the tokens it issues', async () => {
      expect((await allPages(clerkA, '/applications')).items.map((a) => (a as { id: string }).id).sort()).toEqual([...ids].sort());
      expect((await allPages(admin, '/applications')).items).toHaveLength(4);
      expect((await allPages(clerkA, `/applications/${ids[0]}/events`)).items.length).toBeGreaterThan(3);
      expect((await allPages(park, '/tasks')).items.length).toBeGreaterThanOrEqual(2);
      expect((await allPages(admin, '/registry')).items).toHaveLength(2);
    });

    it('refuses crafted, garbled and altered tokens on every listing with 400, never 500', async () => {
      const { tokens } = await allPages(clerkA, '/applications');
      const real = tokens[0]!;
      const altered = real.slice(0, 20) + (real[20] === 'A' ? 'B' : 'A') + real.slice(21);
      for (const [name, client, route] of LISTINGS()) {
        const crafted = [
          // A LastEvaluatedKey of the right partition but the wrong shape: DynamoDB refused it (500).
          b64({ GSI1PK: `ENTERPRISE#${usccA}`, GSI1SK: 'x' }),
          b64({ GSI2PK: 'OPEN_TASKS#park', GSI2SK: 'x' }),
          b64({ GSI3PK: 'REGISTRY', GSI3SK: 'x' }),
          b64({ GSI3PK: 'APPLICATIONS', GSI3SK: 'x', PK: 'x', SK: 'y' }),
          b64({ PK: `APP#${ids[0]}`, SK: 'EVENT#' }),
          b64({ PK: `BATCH#${batchId}`, SK: 'ITEM#' }),
          b64(null),
          b64([1, 2]),
          'not-a-token',
          'A'.repeat(2000),
          Buffer.alloc(64, 7).toString('base64url'),
          altered,
        ];
        for (const token of crafted) expectTokenRefused(await client.get(`${route}?nextToken=${encodeURIComponent(token)}`), `${name} with ${token.slice(0, 40)}`);
      }
    });

    it("refuses another listing's token: another enterprise, another clerk, another department, another route", async () => {
      const clerkToken = (await allPages(clerkA, '/applications')).tokens[0]!;
      expectTokenRefused(await clerkB.get(`/applications?nextToken=${clerkToken}`), 'another enterprise');
      expectTokenRefused(await clerkA2.get(`/applications?nextToken=${clerkToken}`), 'another clerk of the same enterprise');
      expectTokenRefused(await admin.get(`/applications?nextToken=${clerkToken}`), 'staff listing all applications');
      const eventsToken = (await allPages(clerkA, `/applications/${ids[0]}/events`)).tokens[0]!;
      expectTokenRefused(await clerkA.get(`/applications/${ids[1]}/events?nextToken=${eventsToken}`), 'events of another application');
      const parkToken = (await allPages(park, '/tasks')).tokens[0]!;
      expectTokenRefused(await kejiju.get(`/tasks?nextToken=${parkToken}`), 'another department');
      const registryToken = (await allPages(admin, '/registry')).tokens[0]!;
      expectTokenRefused(await admin.get(`/credit/restrictions?nextToken=${registryToken}`), 'another admin listing');
      expectTokenRefused(await park.get(`/tasks?nextToken=${registryToken}`), 'another route');
    });
  });

  it('answers a JSON null body with 400 on every route that takes a body', async () => {
    const as: Record<string, ApiClient> = { enterprise: clerkA, reviewer: park, finance, admin };
    const paths: Record<string, string> = { id: ids[0]!, taskId: '0'.repeat(32), uscc: usccA, name: 'platform.provincial-key-lab' };
    let checked = 0;
    for (const [id, endpoint] of Object.entries(ENDPOINTS) as [string, Endpoint][]) {
      if (!endpoint.body || endpoint.roles === 'public') continue;
      const client = as[endpoint.roles[0]!]!;
      const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => paths[name] ?? name);
      const response = await client.request(endpoint.method, path, 'null', { 'idempotency-key': 'null-body-0001' });
      expect(response.status, `${id} ${path}`).toBe(400);
      expect(response.body.error.code, id).toBe('VALIDATION_ERROR');
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('records the same bank result sent many times at once exactly once, without a server error', async () => {
    const results = ids.slice(0, 2).map((applicationId, i) => ({ applicationId, status: 'paid', reference: `BANK-REF-${i}` }));
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => finance.post(`/batches/${batchId}/payments`, { results: i % 3 === 2 ? results : [results[i % 2]!] })),
    );
    expect(answers.map((a) => `${a.status} ${a.status === 200 ? "" : JSON.stringify(a.body)}`)).toEqual(Array(12).fill("200 "));
    for (const applicationId of ids.slice(0, 2)) {
      const events = (await admin.get(`/applications/${applicationId}/events?limit=100`)).body.items.map((e: { type: string }) => e.type);
      expect(events.filter((t: string) => t === 'PAID')).toHaveLength(1);
      expect((await admin.get(`/applications/${applicationId}`)).body.status).toBe('PAID');
    }
    expect((await finance.get(`/batches/${batchId}`)).body.status).toBe('SETTLED');
    // A different result for a recorded item is a conflict, not an error.
    const contradicting = await finance.post(`/batches/${batchId}/payments`, { results: [{ applicationId: ids[0], status: 'failed', reason: '账户冻结' }] });
    expect(contradicting.status).toBe(409);
  });
});
