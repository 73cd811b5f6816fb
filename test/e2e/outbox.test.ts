import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../infra/local/jwt.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';

const RELAY = 'functions/jobs/outbox-relay.ts';

/**
 * Every workflow call that follows a state change (start on submit, the decision's and the
 * resubmission's task success, stop on withdrawal) is committed with the change as an outbox item.
 * With the Step Functions endpoint down (real HTTP 503s), each request still succeeds, the application
 * shows the pending delivery to staff, the admin listing shows it, and the relay delivers it once the
 * service is back.
 */
describe('the workflow outbox', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  let admin: ApiClient;
  let enterprise: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  const as = async (claims: Parameters<typeof signToken>[1]) => new ApiClient(stack, await signToken(stack.keys, claims));
  const relay = () => stack.lambdas.invokeEntry(RELAY, { olderThanSeconds: 0 }) as Promise<{ delivered: number; failed: number }>;
  const parkTaskOf = (id: string) =>
    eventually(async () => (await park.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === id), `the park task of ${id}`);

  /** Runs `during` with the Step Functions endpoint failing every call, then restores it. */
  async function inOutage<T>(during: () => Promise<T>): Promise<T> {
    stack.stepFunctions.outage = true;
    try {
      return await during();
    } finally {
      stack.stepFunctions.outage = false;
    }
  }

  beforeAll(async () => {
    stack = await startLocalStack({ keysDir });
    admin = await as({ sub: 'a', role: 'admin' });
    await admin.put(`/registry/${uscc(131)}`, registryEntry());
    enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(131) });
    park = await as({ sub: 'p', role: 'reviewer', dept: 'park' });
    kejiju = await as({ sub: 'k', role: 'reviewer', dept: 'kejiju' });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('starts the workflow of a submission made while Step Functions was down', async () => {
    const created = await inOutage(() =>
      enterprise.post('/applications', platformAward('LAB-OUTBOX-1', 'municipal-tech-innovation-center'), { 'idempotency-key': 'outbox-start-1' }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    // Staff see the pending start; the enterprise sees only its submission.
    expect(created.body.delivery).toBeUndefined();
    expect((await admin.get(`/applications/${id}`)).body.delivery).toMatchObject({ state: 'PENDING', action: 'StartExecution' });
    expect((await admin.get('/workflow-failures')).body.items).toContainEqual(
      expect.objectContaining({ applicationId: id, error: 'Undelivered:StartExecution', cause: expect.stringContaining('ServiceUnavailable') }),
    );
    expect(await stack.stepFunctions.describeExecution({ executionArn: `x:${id}` }).catch((e: Error) => e.message)).toMatch(/does not exist/);

    expect(await relay()).toEqual({ delivered: 1, failed: 0 });
    await parkTaskOf(id);
    expect((await admin.get(`/applications/${id}`)).body.delivery).toBeUndefined();
    expect((await admin.get('/workflow-failures')).body.items.filter((f: { applicationId: string }) => f.applicationId === id)).toEqual([]);
    expect(await relay()).toEqual({ delivered: 0, failed: 0 });
  });

  it('delivers a decision, a resubmission and a withdrawal recorded while Step Functions was down', async () => {
    const { body } = await enterprise.post('/applications', platformAward('LAB-OUTBOX-2'), { 'idempotency-key': 'outbox-decide-1' });
    const id = body.id;

    // A return for revision during the outage: recorded (200), delivered by the relay.
    const returnTask = await parkTaskOf(id);
    const decided = await inOutage(() => park.post(`/tasks/${returnTask.taskId}/decision`, { decision: 'return', comment: '请核对获批类型' }));
    expect(decided.status).toBe(200);
    expect((await park.get(`/applications/${id}`)).body).toMatchObject({ status: 'IN_REVIEW', delivery: { state: 'PENDING', action: 'SendTaskSuccess' } });
    expect(await relay()).toEqual({ delivered: 1, failed: 0 });
    await eventually(async () => ((await enterprise.get(`/applications/${id}`)).body.status === 'RETURNED' ? true : undefined), 'RETURNED');

    // The resubmission during the outage.
    const resubmitted = await inOutage(() => enterprise.put(`/applications/${id}`, { details: platformAward('LAB-OUTBOX-2', 'municipal-tech-innovation-center').details }));
    expect(resubmitted.status).toBe(200);
    expect((await admin.get(`/applications/${id}`)).body.delivery).toMatchObject({ action: 'SendTaskSuccess' });
    expect(await relay()).toEqual({ delivered: 1, failed: 0 });
    const again = await parkTaskOf(id);
    expect(again).toMatchObject({ stage: 'PARK_PRELIM', amount: '100000.00' });

    // An approval during the outage reaches the next stage through the relay.
    expect((await inOutage(() => park.post(`/tasks/${again.taskId}/decision`, { decision: 'approve' }))).status).toBe(200);
    expect(await relay()).toEqual({ delivered: 1, failed: 0 });
    const deptTask = await eventually(async () => (await kejiju.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === id), 'the 科技局 task');

    // The withdrawal during the outage: WITHDRAWN at once, the execution stopped by the relay.
    const withdrawn = await inOutage(() => enterprise.post(`/applications/${id}/withdraw`, { reason: '项目调整' }));
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('WITHDRAWN');
    expect((await stack.stepFunctions.describeExecution({ executionArn: `x:${id}` })).status).toBe('RUNNING');
    expect(await relay()).toEqual({ delivered: 1, failed: 0 });
    expect((await stack.stepFunctions.describeExecution({ executionArn: `x:${id}` })).status).toBe('ABORTED');
    expect((await kejiju.get('/tasks')).body.items.some((t: { taskId: string }) => t.taskId === deptTask.taskId)).toBe(false);
    expect((await admin.get(`/applications/${id}`)).body.delivery).toBeUndefined();
  });

  it('an administrator redriving an undelivered start makes the call at once', async () => {
    const created = await inOutage(() =>
      enterprise.post('/applications', platformAward('LAB-OUTBOX-4', 'municipal-tech-innovation-center'), { 'idempotency-key': 'outbox-redrive-1' }),
    );
    expect(created.status).toBe(201);
    expect((await admin.post(`/workflow-failures/${created.body.id}/redrive`)).status).toBe(202);
    await parkTaskOf(created.body.id);
    expect((await admin.get(`/applications/${created.body.id}`)).body.delivery).toBeUndefined();
  });

  it('a reviewer resending a decision whose delivery failed delivers it (409, the decision stands)', async () => {
    const { body } = await enterprise.post('/applications', platformAward('LAB-OUTBOX-3', 'municipal-tech-innovation-center'), { 'idempotency-key': 'outbox-retry-1' });
    const task = await parkTaskOf(body.id);
    expect((await inOutage(() => park.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' }))).status).toBe(200);
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(409);
    await eventually(async () => (await kejiju.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === body.id), 'the 科技局 task');
    expect(await relay()).toEqual({ delivered: 0, failed: 0 });
  });
});

/**
 * The process dies after a submission was committed and before its workflow started (here: the start
 * failed and the stack was then killed). After the restart the relay starts it: nothing stays SUBMITTED.
 */
describe('the outbox across a crash', () => {
  const stack = new LocalStackProcess({ env: { REDELIVERY_INTERVAL_SECONDS: '1' } });
  beforeAll(() => stack.start({ LOCAL_SFN_OUTAGE: 'true' }));
  afterAll(() => stack.stop());

  it('starts after a restart what was committed before the crash', { timeout: 180_000 }, async () => {
    await (await stack.as({ sub: 'admin-1', role: 'admin' })).put(`/registry/${uscc(132)}`, registryEntry());
    const enterprise = await stack.as({ sub: 'clerk-132', role: 'enterprise', uscc: uscc(132) });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { status, body } = await enterprise.post('/applications', platformAward(`LAB-CRASH-OUTBOX-${i}`, 'municipal-tech-innovation-center'), { 'idempotency-key': `crash-outbox-${i}` });
      expect(status).toBe(201);
      ids.push(body.id);
    }
    await stack.kill();
    await stack.start();

    const park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    await eventually(async () => {
      const tasks = (await park.get('/tasks')).body.items.map((t: { applicationId: string }) => t.applicationId);
      return ids.every((id) => tasks.includes(id)) ? true : undefined;
    }, 'a review task for every application committed before the crash');
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    for (const id of ids) expect((await admin.get(`/applications/${id}`)).body).toMatchObject({ status: 'IN_REVIEW' });
    expect((await admin.get('/workflow-failures')).body.items).toEqual([]);
  });
});
