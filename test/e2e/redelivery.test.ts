import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../infra/local/jwt.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, eventually } from '../support/local-stack.js';

/**
 * A decision written but never handed to the workflow (the request died between the two, and nobody
 * retried) is delivered by the scheduled redelivery job: the application moves on to the next stage.
 */
describe('the redelivery job', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ keysDir });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('delivers a recorded decision that never reached the workflow', async () => {
    const as = async (claims: Parameters<typeof signToken>[1]) => new ApiClient(stack, await signToken(stack.keys, claims));
    await (await as({ sub: 'a', role: 'admin' })).put(`/registry/${uscc(131)}`, registryEntry());
    const enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(131) });
    const park = await as({ sub: 'p', role: 'reviewer', dept: 'park' });
    const kejiju = await as({ sub: 'k', role: 'reviewer', dept: 'kejiju' });
    const { body } = await enterprise.post('/applications', platformAward('LAB-REDELIVER', 'municipal-tech-innovation-center'), { 'idempotency-key': 'redeliver-001' });
    const open = await eventually(async () => (await park.get('/tasks')).body.items[0], 'the park task');

    // The decision is written, as by a request that then died before its callback.
    const { getTask, decideTask } = await import('../../functions/store/tasks.js');
    const { getApplication } = await import('../../functions/store/applications.js');
    await decideTask((await getTask(open.taskId))!, (await getApplication(body.id))!, { decision: 'approve', decidedBy: 'p' });
    expect((await park.get('/tasks')).body.items).toEqual([]);
    expect((await kejiju.get('/tasks')).body.items).toEqual([]);

    const { redelivered } = (await stack.lambdas.invokeEntry('functions/jobs/redeliver-decisions.ts', { olderThanSeconds: 0 })) as { redelivered: number };
    expect(redelivered).toBe(1);
    const next = await eventually(async () => (await kejiju.get('/tasks')).body.items[0], 'the 科技局 task');
    expect(next).toMatchObject({ applicationId: body.id, stage: 'DEPT_REVIEW' });
    // Delivered once: nothing is left for the next run.
    expect(await stack.lambdas.invokeEntry('functions/jobs/redeliver-decisions.ts', { olderThanSeconds: 0 })).toEqual({ redelivered: 0 });
  });
});
