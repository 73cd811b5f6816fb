import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';

/** The review process of 科技局 and 人社局 offices, over HTTP on the local stack. */
describe('review stages', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  const enterpriseUscc = uscc(71);
  let enterprise: ApiClient;
  let reviewers: Record<'park' | 'kejiju' | 'leadership', ApiClient>;
  let key = 0;

  beforeAll(async () => {
    await stack.start();
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    await admin.put(`/registry/${enterpriseUscc}`, registryEntry());
    enterprise = await stack.as({ sub: 'clerk-71', role: 'enterprise', uscc: enterpriseUscc });
    reviewers = {
      park: await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' }),
      kejiju: await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' }),
      leadership: await stack.as({ sub: 'leader-1', role: 'reviewer', dept: 'leadership' }),
    };
  });
  afterAll(() => stack.stop());

  const submit = async (body: object) => (await enterprise.post('/applications', body, { 'idempotency-key': `review-${String(++key).padStart(6, '0')}` })).body.id as string;
  const application = async (id: string) => (await enterprise.get(`/applications/${id}`)).body;
  const status = (id: string, wanted: string) => eventually(async () => ((await application(id)).status === wanted ? application(id) : undefined), wanted);
  const taskOf = (reviewer: ApiClient, id: string) =>
    eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === id), `a task for ${id}`);
  const decide = async (reviewer: ApiClient, id: string, decision: object) => reviewer.post(`/tasks/${(await taskOf(reviewer, id)).taskId}/decision`, decision);
  const types = async (id: string) => (await enterprise.get(`/applications/${id}/events`)).body.items.map((e: { type: string }) => e.type);

  it('sends an amount at the threshold to leadership sign-off, and one below it straight to Grant', async () => {
    const atThreshold = await submit(platformAward('LAB-R1'));
    await decide(reviewers.park, atThreshold, { decision: 'approve' });
    await decide(reviewers.kejiju, atThreshold, { decision: 'approve' });
    const signOff = await taskOf(reviewers.leadership, atThreshold);
    expect(signOff).toMatchObject({ stage: 'LEADERSHIP', dept: 'leadership', amount: '500000.00' });
    expect((await reviewers.leadership.post(`/tasks/${signOff.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    expect((await status(atThreshold, 'AWAITING_PUBLICITY')).approvedAmount).toBe('500000.00');

    // A 1-fen 核减 below the threshold does not skip sign-off; the park may not lower an amount at all (§5.10).
    const reduced = await submit(platformAward('LAB-R2'));
    const parkTask = await taskOf(reviewers.park, reduced);
    expect((await reviewers.park.post(`/tasks/${parkTask.taskId}/decision`, { decision: 'approve', approvedAmount: '499999.99' })).body.error.issues[0].path).toBe('approvedAmount');
    await decide(reviewers.park, reduced, { decision: 'approve' });
    expect((await decide(reviewers.kejiju, reduced, { decision: 'approve', approvedAmount: '0' })).body.error.issues[0]).toMatchObject({ path: 'approvedAmount', message: expect.stringContaining('不予通过') });
    await decide(reviewers.kejiju, reduced, { decision: 'approve', approvedAmount: '499999.99', comment: '按合同登记金额核减' });
    expect(await taskOf(reviewers.leadership, reduced)).toMatchObject({ stage: 'LEADERSHIP', amount: '499999.99' });
    await decide(reviewers.leadership, reduced, { decision: 'approve' });
    expect((await status(reduced, 'AWAITING_PUBLICITY')).approvedAmount).toBe('499999.99');
    expect(await types(reduced)).not.toContain('CLAIMED');
    expect((await enterprise.get(`/applications/${reduced}/events`)).body.items.filter((e: { type: string }) => e.type === 'TASK_OPENED')).toHaveLength(3);

    const below = await submit(platformAward('LAB-R8', 'municipal-tech-innovation-center'));
    await decide(reviewers.park, below, { decision: 'approve' });
    await decide(reviewers.kejiju, below, { decision: 'approve', approvedAmount: '90000.00', comment: '按合同登记金额核减' });
    expect((await status(below, 'AWAITING_PUBLICITY')).approvedAmount).toBe('90000.00');
  });

  it('returns for revision: the enterprise sees the comment, corrects the details, and the application is reviewed again', async () => {
    const id = await submit(platformAward('LAB-R3', 'provincial-key-lab', '2025-06-01'));
    expect((await decide(reviewers.park, id, { decision: 'return' })).status).toBe(400);
    expect((await decide(reviewers.park, id, { decision: 'return', comment: '请核对获批类型：应为市级技术创新中心' })).status).toBe(200);
    const returned = await status(id, 'RETURNED');
    expect(returned.returnComment).toBe('请核对获批类型：应为市级技术创新中心');
    expect(returned.stage).toBeUndefined();

    const other = await stack.as({ sub: 'clerk-x', role: 'enterprise', uscc: uscc(72) });
    expect((await other.put(`/applications/${id}`, { details: platformAward('LAB-R3').details })).status).toBe(404);
    expect((await enterprise.put(`/applications/${id}`, { details: { ...platformAward('LAB-R3').details, kind: 'moon' } })).status).toBe(400);
    const resubmitted = await enterprise.put(`/applications/${id}`, { details: platformAward('LAB-R3', 'municipal-tech-innovation-center').details });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.status).toBe('SUBMITTED');
    expect((await enterprise.put(`/applications/${id}`, { details: platformAward('LAB-R3').details })).status).toBe(409);

    // Assessed again: the corrected kind pays 100,000; the same park reviewer may review the same stage again.
    const again = await taskOf(reviewers.park, id);
    expect(again).toMatchObject({ stage: 'PARK_PRELIM', amount: '100000.00' });
    await reviewers.park.post(`/tasks/${again.taskId}/decision`, { decision: 'approve' });
    await decide(reviewers.kejiju, id, { decision: 'approve' });
    expect((await status(id, 'AWAITING_PUBLICITY')).approvedAmount).toBe('100000.00');
    expect(await types(id)).toEqual([
      'SUBMITTED', 'ASSESSED', 'TASK_OPENED', 'DECIDED', 'RETURNED', 'RESUBMITTED',
      'ASSESSED', 'TASK_OPENED', 'DECIDED', 'TASK_OPENED', 'DECIDED', 'GRANTED',
    ]);
  });

  it('lets the owner withdraw during review: the open task closes and the workflow stops', async () => {
    const id = await submit(platformAward('LAB-R4'));
    await taskOf(reviewers.park, id);
    const other = await stack.as({ sub: 'clerk-x', role: 'enterprise', uscc: uscc(72) });
    expect((await other.post(`/applications/${id}/withdraw`, {})).status).toBe(404);
    const withdrawn = await enterprise.post(`/applications/${id}/withdraw`, { reason: '项目调整' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'WITHDRAWN', withdrawal: { by: 'clerk-71', reason: '项目调整' } });
    expect((await reviewers.park.get('/tasks')).body.items.some((t: { applicationId: string }) => t.applicationId === id)).toBe(false);
    expect((await enterprise.post(`/applications/${id}/withdraw`, {})).status).toBe(409);
    expect((await types(id)).at(-1)).toBe('WITHDRAWN');
  });

  it('lets one reviewer claim a task: others can neither claim nor decide it until it is given back', async () => {
    const id = await submit(platformAward('LAB-R5', 'municipal-tech-innovation-center'));
    const task = await taskOf(reviewers.park, id);
    const colleague = await stack.as({ sub: 'park-2', role: 'reviewer', dept: 'park' });
    expect((await reviewers.park.post(`/tasks/${task.taskId}/claim`)).body.claimedBy).toBe('park-1');
    expect((await reviewers.park.post(`/tasks/${task.taskId}/claim`)).status).toBe(200);
    expect((await colleague.post(`/tasks/${task.taskId}/claim`)).status).toBe(409);
    expect((await colleague.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await colleague.post(`/tasks/${task.taskId}/unclaim`)).status).toBe(409);
    expect((await reviewers.kejiju.post(`/tasks/${task.taskId}/claim`)).status).toBe(404);
    expect((await reviewers.park.post(`/tasks/${task.taskId}/unclaim`)).status).toBe(200);
    expect((await colleague.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    expect(await types(id)).toEqual(expect.arrayContaining(['CLAIMED', 'UNCLAIMED']));
  });

  it('keeps one person to one stage of an application', async () => {
    const id = await submit(platformAward('LAB-R6', 'municipal-tech-innovation-center'));
    const both = await stack.as({ sub: 'moonlighter', role: 'reviewer', dept: 'park' });
    await both.post(`/tasks/${(await taskOf(both, id)).taskId}/decision`, { decision: 'approve' });
    const sameSub = await stack.as({ sub: 'moonlighter', role: 'reviewer', dept: 'kejiju' });
    const task = await taskOf(sameSub, id);
    expect((await sameSub.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(403);
    expect((await reviewers.kejiju.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    await status(id, 'AWAITING_PUBLICITY');
  });

  it('ends a grant that lost its race INELIGIBLE with ALREADY_GRANTED', async () => {
    const first = await submit(platformAward('LAB-R7', 'municipal-tech-innovation-center'));
    await taskOf(reviewers.park, first);
    const second = await submit(platformAward('LAB-R7', 'municipal-tech-innovation-center'));
    // The second is warned about the first (same platform name), so approving it takes a comment.
    expect((await taskOf(reviewers.park, second)).duplicateWarnings).toEqual([expect.objectContaining({ applicationId: first, similarity: 1 })]);
    await decide(reviewers.park, first, { decision: 'approve' });
    expect((await decide(reviewers.park, second, { decision: 'approve' })).status).toBe(400);
    await decide(reviewers.park, second, { decision: 'approve', comment: '已核查：与在审申请为同一平台，由台账决定' });
    await decide(reviewers.kejiju, first, { decision: 'approve' });
    await status(first, 'AWAITING_PUBLICITY');
    await decide(reviewers.kejiju, second, { decision: 'approve', comment: '同上' });
    await status(second, 'INELIGIBLE');
    const events = (await enterprise.get(`/applications/${second}/events`)).body.items;
    expect(events.at(-1)).toMatchObject({ type: 'INELIGIBLE', data: { code: 'ALREADY_GRANTED' } });
  });

  it('lists by status and program from the indexes, and pages', async () => {
    const approved = (await reviewers.kejiju.get('/applications?status=AWAITING_PUBLICITY&programId=platform-award')).body.items;
    expect(approved.length).toBeGreaterThanOrEqual(4);
    expect(approved.every((a: { status: string }) => a.status === 'AWAITING_PUBLICITY')).toBe(true);
    const first = await enterprise.get('/applications?limit=2');
    expect(first.body.items).toHaveLength(2);
    const next = await enterprise.get(`/applications?limit=2&nextToken=${first.body.nextToken}`);
    expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
  });
});

/** The wait for a returned application has a deadline (deployment configuration); past it the application is withdrawn. */
describe('the revision deadline', () => {
  // 2 seconds instead of 30 days: the workflow is synthesized with a shorter deadline, nothing sleeps.
  const stack = new LocalStackProcess({ inMemory: true, env: { RETURN_DEADLINE_SECONDS: '2' } });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('withdraws a returned application that is not sent back in time', async () => {
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    await admin.put(`/registry/${uscc(73)}`, registryEntry());
    const enterprise = await stack.as({ sub: 'clerk-73', role: 'enterprise', uscc: uscc(73) });
    const park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    const { body } = await enterprise.post('/applications', platformAward('LAB-D1'), { 'idempotency-key': 'deadline-0001' });
    const task = await eventually(async () => (await park.get('/tasks')).body.items[0], 'the park task');
    await park.post(`/tasks/${task.taskId}/decision`, { decision: 'return', comment: '补充材料' });
    const withdrawn = await eventually(async () => {
      const { body: app } = await enterprise.get(`/applications/${body.id}`);
      return app.status === 'WITHDRAWN' ? app : undefined;
    }, 'WITHDRAWN', 20_000);
    expect(withdrawn.stage).toBeUndefined();
    const events = (await enterprise.get(`/applications/${body.id}/events`)).body.items;
    expect(events.map((e: { type: string }) => e.type).slice(-2)).toEqual(['RETURNED', 'WITHDRAWN']);
    expect(events.at(-1).data.reason).toContain('逾期');
    expect((await enterprise.put(`/applications/${body.id}`, { details: platformAward('LAB-D1').details })).status).toBe(409);
  });
});
