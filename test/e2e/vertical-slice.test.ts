import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/** One platform award from submission through 公示 to APPROVED, over HTTP with real tokens, on the local stack. */
describe('a platform award, submitted and approved through both stages', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const enterpriseUscc = uscc(1);
  let enterprise: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let leadership: ApiClient;

  beforeAll(async () => {
    await stack.start();
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    expect((await admin.put(`/registry/${enterpriseUscc}`, registryEntry())).status).toBe(200);
    enterprise = await stack.as({ sub: 'clerk-1', role: 'enterprise', uscc: enterpriseUscc });
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    leadership = await stack.as({ sub: 'leader-1', role: 'reviewer', dept: 'leadership' });
  });
  afterAll(() => stack.stop());

  async function openTaskFor(reviewer: ApiClient, applicationId: string) {
    return eventually(async () => {
      const { body } = await reviewer.get('/tasks');
      return body.items.find((task: { applicationId: string }) => task.applicationId === applicationId);
    }, `a task for ${applicationId}`);
  }

  it('assesses, routes park → 科技局, grants with 核减, and keeps the audit trail', async () => {
    const submitted = await enterprise.post('/applications', platformAward('LAB-001'), { 'idempotency-key': 'slice-0000001' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ programId: 'platform-award', uscc: enterpriseUscc, status: 'SUBMITTED', version: 1 });
    const id: string = submitted.body.id;

    const parkTask = await openTaskFor(park, id);
    expect(parkTask).toMatchObject({ stage: 'PARK_PRELIM', dept: 'park', amount: '500000.00', overdue: false });
    expect(parkTask.token).toBeUndefined();
    expect((await kejiju.get('/tasks')).body.items.some((t: { applicationId: string }) => t.applicationId === id)).toBe(false);

    const inReview = await enterprise.get(`/applications/${id}`);
    expect(inReview.body).toMatchObject({ status: 'IN_REVIEW', stage: 'PARK_PRELIM' });
    expect(inReview.body.assessment).toMatchObject({
      eligible: true,
      amount: '500000.00',
      lines: [{ amount: '500000.00', measure: '晋市政办〔2024〕39号 第4条' }],
    });

    const parkDecision = await park.post(`/tasks/${parkTask.taskId}/decision`, { decision: 'approve', comment: '材料齐全' });
    expect(parkDecision.status).toBe(200);
    expect((await park.post(`/tasks/${parkTask.taskId}/decision`, { decision: 'approve' })).status).toBe(409);

    const deptTask = await openTaskFor(kejiju, id);
    expect(deptTask).toMatchObject({ stage: 'DEPT_REVIEW', dept: 'kejiju', amount: '500000.00' });
    const higher = await kejiju.post(`/tasks/${deptTask.taskId}/decision`, { decision: 'approve', approvedAmount: '500000.01' });
    expect(higher.status).toBe(400);
    expect(higher.body.error.issues[0].path).toBe('approvedAmount');
    // 核减 needs a reason, which the enterprise is shown beside the amount.
    expect((await kejiju.post(`/tasks/${deptTask.taskId}/decision`, { decision: 'approve', approvedAmount: '450000.00' })).body.error.issues[0].path).toBe('comment');
    expect((await kejiju.post(`/tasks/${deptTask.taskId}/decision`, { decision: 'approve', approvedAmount: '450000.00', comment: '部分费用不属研发投入' })).status).toBe(200);
    // Assessed at the threshold: lowering it does not skip leadership sign-off (§5.10), and leadership may not lower it.
    const signOff = await openTaskFor(leadership, id);
    expect(signOff).toMatchObject({ stage: 'LEADERSHIP', amount: '450000.00' });
    expect((await leadership.post(`/tasks/${signOff.taskId}/decision`, { decision: 'approve', approvedAmount: '400000.00' })).status).toBe(400);
    expect((await leadership.post(`/tasks/${signOff.taskId}/decision`, { decision: 'approve' })).status).toBe(200);

    // 公示 (§5.14), its period shortened: then payable.
    await throughPublicity(kejiju, enterprise, [id]);
    const { body: approved } = await enterprise.get(`/applications/${id}`);
    expect(approved.approvedAmount).toBe('450000.00');
    expect(approved.stage).toBeUndefined();

    const events = (await enterprise.get(`/applications/${id}/events`)).body.items;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'SUBMITTED',
      'ASSESSED',
      'TASK_OPENED',
      'DECIDED',
      'TASK_OPENED',
      'DECIDED',
      'TASK_OPENED',
      'DECIDED',
      'GRANTED',
      'NOTICE_PUBLISHED',
      'PUBLICITY_ENDED',
    ]);
    expect(events[1].data.parametersUsed).toContainEqual(expect.objectContaining({ name: 'm4.provincial-platform.amount', value: '500000' }));
    // The enterprise sees the reviewer's department and role, not the reviewer.
    expect(events[5]).toMatchObject({ actor: '市科技局审核人员', data: { decision: 'approve', amount: '450000.00' } });
    expect(events[8].data.benefitKeys).toEqual([{ benefitKey: 'platform:平台lab001:construction', amount: '450000.00' }]);

    // The ledger now holds the grant: an upgrade of the same platform to national level pays the difference.
    const upgrade = await enterprise.post('/applications', platformAward('LAB-001', 'national-key-lab'), { 'idempotency-key': 'slice-0000002' });
    const upgradeTask = await openTaskFor(park, upgrade.body.id);
    expect(upgradeTask.amount).toBe('550000.00');
    // The same platform again: the reviewer is told, and approving it needs a comment (§5.11).
    expect(upgradeTask.duplicateWarnings).toEqual([{ applicationId: id, similarity: 1, reason: expect.stringContaining('名称相同') }]);
    expect((await park.post(`/tasks/${upgradeTask.taskId}/decision`, { decision: 'approve' })).body.error.issues[0].path).toBe('comment');
    const { body: upgraded } = await enterprise.get(`/applications/${upgrade.body.id}`);
    expect(upgraded.duplicateWarnings).toEqual(upgradeTask.duplicateWarnings);
    expect(upgraded.assessment.priorGrants).toEqual([
      {
        benefitKey: 'platform:平台lab001:construction',
        amount: '450000.00',
        policy: '晋市政办〔2024〕39号',
        explanation: '该平台已由“晋市政办〔2024〕39号”支持 45万元，按就高不重复，本项不再重复支持这部分',
      },
    ]);
  });

  it('answers a repeated Idempotency-Key with the same application, and a different body with 409', async () => {
    const body = platformAward('LAB-IDEM', 'municipal-tech-innovation-center');
    const first = await enterprise.post('/applications', body, { 'idempotency-key': 'idem-key-0001' });
    const again = await enterprise.post('/applications', body, { 'idempotency-key': 'idem-key-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await enterprise.post('/applications', platformAward('LAB-OTHER'), { 'idempotency-key': 'idem-key-0001' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    const mine = (await enterprise.get('/applications')).body.items.filter((a: { details: { platformId: string } }) =>
      ['LAB-IDEM', 'LAB-OTHER'].includes(a.details.platformId),
    );
    expect(mine).toHaveLength(1);
  });

  it('serves /health and the OpenAPI document generated from the schemas, without a token', async () => {
    const anonymous = new ApiClient(stack, undefined);
    expect(await anonymous.get('/health')).toEqual({ status: 200, body: { status: 'ok' } });
    const { status, body } = await anonymous.get('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/applications', '/tasks/{taskId}/decision', '/registry/{uscc}']));
    expect(body.components.schemas.PlatformAwardDetails.properties.kind.enum).toContain('national-key-lab');
  });

  it('lets exactly one of 20 concurrent decisions on a task win', async () => {
    const { body } = await enterprise.post('/applications', platformAward('LAB-RACE'), { 'idempotency-key': 'race-0000001' });
    const task = await openTaskFor(park, body.id);
    const reviewers = await Promise.all(Array.from({ length: 20 }, (_, n) => n + 1).map((n) => stack.as({ sub: `park-${n}`, role: 'reviewer', dept: 'park' })));
    const answers = await Promise.all(reviewers.map((r) => r.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(19);
    const events = (await enterprise.get(`/applications/${body.id}/events`)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'DECIDED')).toHaveLength(1);
  });

  it('rejects: a reject decision ends the application REJECTED', async () => {
    const { body } = await enterprise.post('/applications', platformAward('LAB-REJ'), { 'idempotency-key': 'reject-00001' });
    const task = await openTaskFor(park, body.id);
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'reject' })).status).toBe(400);
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'reject', comment: '非入驻平台' })).status).toBe(200);
    const rejected = await eventually(async () => {
      const { body: app } = await enterprise.get(`/applications/${body.id}`);
      return app.status === 'REJECTED' ? app : undefined;
    }, 'REJECTED');
    expect(rejected.stage).toBeUndefined();
  });

  it('finds an applicant not on the park roster ineligible', async () => {
    const outsider = await stack.as({ sub: 'clerk-2', role: 'enterprise', uscc: uscc(2) });
    const { body } = await outsider.post('/applications', platformAward('LAB-OUT'), { 'idempotency-key': 'outsider-0001' });
    const ineligible = await eventually(async () => {
      const { body: app } = await outsider.get(`/applications/${body.id}`);
      return app.status === 'INELIGIBLE' ? app : undefined;
    }, 'INELIGIBLE');
    expect(ineligible.assessment).toMatchObject({ eligible: false, amount: '0.00' });
    expect(ineligible.assessment.reasons.map((r: { code: string }) => r.code)).toEqual(['SUBJECT_NOT_IN_PARK']);
    // Another enterprise cannot see it at all.
    expect((await enterprise.get(`/applications/${body.id}`)).status).toBe(404);
  });
});
