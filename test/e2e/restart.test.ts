import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { LocalStackProcess, eventually } from '../support/local-stack.js';

/**
 * The stack is killed (SIGKILL, no shutdown) while a review task is open; after a restart the pending
 * review is still there under the same task, and deciding it completes the execution exactly once.
 */
describe('a review survives a crash of the local stack', () => {
  const stack = new LocalStackProcess();
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('keeps the open task, completes the review after restart, and duplicates nothing', async () => {
    const enterpriseUscc = uscc(11);
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    await admin.put(`/registry/${enterpriseUscc}`, registryEntry());
    const enterprise = await stack.as({ sub: 'clerk-11', role: 'enterprise', uscc: enterpriseUscc });
    const park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    const kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });

    const { body: application } = await enterprise.post('/applications', platformAward('LAB-CRASH', 'municipal-tech-innovation-center'), { 'idempotency-key': 'crash-000001' });
    const parkTask = await eventually(async () => (await park.get('/tasks')).body.items[0], 'the park task');

    await stack.kill();
    await stack.start();

    // Same task, same id, still open; the decision made after the restart reaches the workflow.
    expect((await park.get('/tasks')).body.items).toEqual([parkTask]);
    expect((await park.post(`/tasks/${parkTask.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    const deptTask = await eventually(async () => (await kejiju.get('/tasks')).body.items[0], 'the 科技局 task');

    await stack.kill();
    await stack.start();

    expect((await kejiju.get('/tasks')).body.items).toEqual([deptTask]);
    expect((await kejiju.post(`/tasks/${deptTask.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    await eventually(async () => ((await enterprise.get(`/applications/${application.id}`)).body.status === 'AWAITING_PUBLICITY' ? true : undefined), 'AWAITING_PUBLICITY');

    const events = (await enterprise.get(`/applications/${application.id}/events`)).body.items.map((e: { type: string }) => e.type);
    expect(events).toEqual(['SUBMITTED', 'ASSESSED', 'TASK_OPENED', 'DECIDED', 'TASK_OPENED', 'DECIDED', 'GRANTED']);
    expect((await enterprise.get('/applications')).body.items).toHaveLength(1);
    expect((await park.get('/tasks')).body.items).toEqual([]);
    expect((await kejiju.get('/tasks')).body.items).toEqual([]);

    // The inbox consumer kept its place in the stream across both crashes: each notification once.
    const kinds = async (client: typeof park) =>
      eventually(async () => {
        const items = (await client.get('/notifications?limit=100')).body.items.filter((n: { applicationId: string }) => n.applicationId === application.id);
        return items.length > 0 ? items.map((n: { kind: string }) => n.kind) : undefined;
      }, 'notifications');
    expect(await kinds(park)).toEqual(['TASK_OPENED']);
    expect(await kinds(kejiju)).toEqual(['TASK_OPENED']);
    expect(await kinds(enterprise)).toEqual(['APPROVED_FOR_PUBLICITY']);
  }, 300_000);
});
