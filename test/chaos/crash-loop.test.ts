import { normaliseId } from '../../functions/domain/identifiers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';

/** A small deterministic random source, so that a failing run can be replayed with its seed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/**
 * Kills the whole local stack (SIGKILL: no shutdown) at random moments during bursts of submissions and
 * decisions, ten times, with clients that resend what got no answer — as real clients do. Afterwards no
 * application, task, decision or ledger entry is lost, and none is duplicated.
 */
describe('crashes during bursts of work', () => {
  const seed = Number(process.env.CHAOS_SEED ?? 20_261_128);
  const next = random(seed);
  const stack = new LocalStackProcess();
  const enterpriseUscc = uscc(121);
  let enterprise: ApiClient;
  let reviewers: ApiClient[];

  beforeAll(async () => {
    await stack.start();
    await (await stack.as({ sub: 'admin-1', role: 'admin' })).put(`/registry/${enterpriseUscc}`, registryEntry());
  });
  afterAll(() => stack.stop());

  async function clients() {
    enterprise = await stack.as({ sub: 'clerk-121', role: 'enterprise', uscc: enterpriseUscc });
    reviewers = [await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' }), await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' })];
  }

  /** Sends until an answer comes back (the stack may be down or restarting meanwhile). */
  const unanswered = new Map<string, () => Promise<unknown>>();
  async function send(key: string, call: () => Promise<{ status: number }>) {
    unanswered.set(key, call);
    try {
      const { status } = await call();
      expect(status).toBeLessThan(500);
      unanswered.delete(key);
    } catch {
      // no answer (connection refused or reset): resent after the restart
    }
  }

  it(`loses and duplicates nothing over 10 crashes (seed ${seed})`, async () => {
    await clients();
    const keys: string[] = [];
    for (let round = 0; round < 10; round++) {
      const burst: Promise<unknown>[] = [];
      for (let i = 0; i < 4; i++) {
        const key = `chaos-${round}-${i}`.padEnd(12, '0');
        keys.push(key);
        burst.push(send(key, () => enterprise.post('/applications', platformAward(`CHAOS-${round}-${i}`, 'municipal-tech-innovation-center'), { 'idempotency-key': key })));
      }
      for (const reviewer of reviewers) {
        const tasks = await reviewer.get('/tasks?limit=100').then((r) => r.body.items as { taskId: string }[]).catch(() => []);
        for (const task of tasks) burst.push(send(`decide-${task.taskId}`, () => reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })));
      }
      // Kill at a random point in the burst.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 250)));
      await stack.kill();
      await Promise.allSettled(burst);
      await stack.start();
      await clients();
      for (const [key, call] of [...unanswered]) await send(key, call as () => Promise<{ status: number }>);
      expect(unanswered.size).toBe(0);
    }

    // Let the survivors finish: approve every open task until every application is approved.
    const listAll = async () => {
      const items = [];
      let nextToken: string | undefined;
      do {
        const { body } = await enterprise.get(`/applications?limit=100${nextToken ? `&nextToken=${nextToken}` : ''}`);
        items.push(...body.items);
        nextToken = body.nextToken;
      } while (nextToken);
      return items as { id: string; status: string; stage?: string; details: { platformId: string; platformName: string } }[];
    };
    const approvedAll = await eventually(async () => {
      for (const reviewer of reviewers) {
        for (const task of (await reviewer.get('/tasks?limit=100')).body.items as { taskId: string }[]) {
          // 200, or 409 when the workflow moved on; never a server error.
          expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBeLessThan(500);
        }
      }
      const items = await listAll();
      return items.length === keys.length && items.every((a) => a.status === 'AWAITING_PUBLICITY') ? items : undefined;
    }, 'every application approved', 60_000).catch(async (error) => {
      // Say what is stuck, and where.
      const stuck = (await listAll()).filter((a) => a.status !== 'AWAITING_PUBLICITY');
      for (const a of stuck) {
        const events = (await enterprise.get(`/applications/${a.id}/events?limit=100`)).body.items.map((e: { type: string }) => e.type);
        console.error(`stuck ${a.id} ${a.status} ${a.stage ?? ''}: ${events.join(' → ')}`);
      }
      console.error(`${(await listAll()).length} applications for ${keys.length} keys`);
      const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
      console.error(`failed workflows: ${JSON.stringify((await admin.get('/workflow-failures')).body)}`);
      throw error;
    });

    expect(approvedAll).toHaveLength(keys.length);
    for (const application of approvedAll as { id: string; details: { platformId: string; platformName: string } }[]) {
      const events = (await enterprise.get(`/applications/${application.id}/events?limit=100`)).body.items as { type: string; data?: { benefitKeys?: { benefitKey: string }[] } }[];
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect({ submitted: count('SUBMITTED'), assessed: count('ASSESSED'), opened: count('TASK_OPENED'), decided: count('DECIDED'), granted: count('GRANTED') }).toEqual({
        submitted: 1,
        assessed: 1,
        opened: 2,
        decided: 2,
        granted: 1,
      });
      expect(events.find((e) => e.type === 'GRANTED')!.data!.benefitKeys).toEqual([
        { benefitKey: `platform:${normaliseId(application.details.platformName)}:construction`, amount: '100000.00' },
      ]);
    }
    for (const reviewer of reviewers) expect((await reviewer.get('/tasks')).body.items).toEqual([]);
  });
});
