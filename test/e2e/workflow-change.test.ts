import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, eventually } from '../support/local-stack.js';
import { signToken } from '../../infra/local/jwt.js';

/** The local stack runs what the workflow construct synthesizes: a construct without the park stage runs without it. */
describe('a local run of a changed workflow construct', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ keysDir, stages: [{ stage: 'DEPT_REVIEW', dept: 'program' }] });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('opens the 科技局 task first when the construct has no park stage', async () => {
    const as = async (claims: Parameters<typeof signToken>[1]) => new ApiClient(stack, await signToken(stack.keys, claims));
    const enterpriseUscc = uscc(31);
    await (await as({ sub: 'a', role: 'admin' })).put(`/registry/${enterpriseUscc}`, registryEntry());
    const enterprise = await as({ sub: 'e', role: 'enterprise', uscc: enterpriseUscc });
    const kejiju = await as({ sub: 'k', role: 'reviewer', dept: 'kejiju' });
    const park = await as({ sub: 'p', role: 'reviewer', dept: 'park' });

    const { body } = await enterprise.post('/applications', platformAward('LAB-WF'), { 'idempotency-key': 'workflow-0001' });
    const task = await eventually(async () => (await kejiju.get('/tasks')).body.items[0], 'the 科技局 task');
    expect(task).toMatchObject({ applicationId: body.id, stage: 'DEPT_REVIEW' });
    expect((await park.get('/tasks')).body.items).toEqual([]);
    expect((await enterprise.get(`/applications/${body.id}`)).body.stage).toBe('DEPT_REVIEW');
  });
});
