import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../functions/domain/dates.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/**
 * The 严重失信 list is checked three times (POLICY.md §5.8), over HTTP on the local stack: a listing
 * made while an application is in review ends it at Grant; one made while an approved award waits for
 * payment keeps it out of the batch, and finance is told why.
 */
describe('credit listings made after assessment', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const [reviewed, waiting, clean] = [uscc(91), uscc(92), uscc(93)];
  let admin: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let finance: ApiClient;
  const clerks: Record<string, ApiClient> = {};
  let n = 0;

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    for (const id of [reviewed, waiting, clean]) {
      await admin.put(`/registry/${id}`, registryEntry());
      clerks[id] = await stack.as({ sub: `clerk-${id}`, role: 'enterprise', uscc: id });
    }
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
  });
  afterAll(() => stack.stop());

  const submit = async (enterprise: string, body: object) =>
    (await clerks[enterprise]!.post('/applications', body, { 'idempotency-key': `credit-e2e-${String(++n).padStart(4, '0')}` })).body.id as string;
  const taskOf = (reviewer: ApiClient, id: string) =>
    eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === id), `a task for ${id}`);
  const statusOf = (enterprise: string, id: string, wanted: string) =>
    eventually(async () => {
      const { body } = await clerks[enterprise]!.get(`/applications/${id}`);
      return body.status === wanted ? body : undefined;
    }, wanted);
  const listToday = (subjectId: string) =>
    admin.post('/credit/restrictions', { entries: [{ subjectType: 'enterprise', subjectId, listedOn: chinaDate(new Date()), reason: '列入严重失信主体名单' }] });

  it('listed while in review: INELIGIBLE with CREDIT_RESTRICTED at Grant, and nothing recorded in the ledger', async () => {
    const id = await submit(reviewed, platformAward('CR-1', 'municipal-tech-innovation-center'));
    await park.post(`/tasks/${(await taskOf(park, id)).taskId}/decision`, { decision: 'approve' });
    const deptTask = await taskOf(kejiju, id);
    expect((await listToday(reviewed)).status).toBe(200);
    await kejiju.post(`/tasks/${deptTask.taskId}/decision`, { decision: 'approve' });
    await statusOf(reviewed, id, 'INELIGIBLE');
    const events = (await clerks[reviewed]!.get(`/applications/${id}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'INELIGIBLE', data: { code: 'CREDIT_RESTRICTED' } });
    expect(events.map((e: { type: string }) => e.type)).not.toContain('GRANTED');

    // No reservation was made: the same platform, applied for by an enterprise not on the list, is paid in full.
    const again = await submit(clean, platformAward('CR-1', 'municipal-tech-innovation-center'));
    const parkTask = await taskOf(park, again);
    expect(parkTask.amount).toBe('100000.00');
  });

  it('listed while waiting for payment: left out of the batch, still APPROVED, and flagged to finance', async () => {
    const id = await submit(waiting, platformAward('CR-2', 'municipal-tech-innovation-center'));
    for (const reviewer of [park, kejiju]) await reviewer.post(`/tasks/${(await taskOf(reviewer, id)).taskId}/decision`, { decision: 'approve' });
    await throughPublicity(kejiju, clerks[waiting]!, [id]);
    expect((await listToday(waiting)).status).toBe(200);

    const held = await finance.post('/batches', {});
    expect(held.status).toBe(409);
    expect(held.body.error.issues).toEqual([{ path: `applications.${id}`, message: expect.stringContaining('严重失信') }]);
    expect((await clerks[waiting]!.get(`/applications/${id}`)).body.status).toBe('APPROVED');

    const cleanId = await submit(clean, platformAward('CR-3', 'municipal-tech-innovation-center'));
    for (const reviewer of [park, kejiju]) await reviewer.post(`/tasks/${(await taskOf(reviewer, cleanId)).taskId}/decision`, { decision: 'approve' });
    await throughPublicity(kejiju, clerks[clean]!, [cleanId]);
    const batch = await finance.post('/batches', {});
    expect(batch.status).toBe(201);
    expect(batch.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([cleanId]);
    expect(batch.body.creditHeld).toEqual([{ applicationId: id, uscc: waiting, programId: 'platform-award', amount: '100000.00', reason: expect.stringContaining('严重失信') }]);
    expect((await finance.get(`/batches/${batch.body.batchId}`)).body.creditHeld).toHaveLength(1);
    expect((await clerks[waiting]!.get(`/applications/${id}`)).body.status).toBe('APPROVED');
  });
});
