import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../functions/domain/dates.js';
import { workingDaysBetween } from '../../functions/domain/working-days.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, ApiClient as Client, LocalStackProcess, eventually } from '../support/local-stack.js';
import { statusReached } from '../support/publicity.js';

const objection = (itemNo: number, reason = '该平台的认定文件与实际情况不符，请核实。') => ({ itemNo, name: '李四', contact: '13800000000', reason });

/** 公示 (§5.14) end to end: notices, public pages, objections, the period's Wait, and the batch after it. */
describe('公示 with objections', () => {
  // Long enough to object during the period in a test, short enough to wait for its end.
  const stack = new LocalStackProcess({ inMemory: true, env: { PUBLICITY_SECONDS: '6' } });
  const enterprises = [uscc(61), uscc(62), uscc(63), uscc(64)];
  let clerks: ApiClient[];
  let admin: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let renshe: ApiClient;
  let finance: ApiClient;
  let anyone: ApiClient;
  let n = 0;

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    for (const [i, id] of enterprises.entries()) await admin.put(`/registry/${id}`, registryEntry(`晋城公示${i + 1}科技有限公司`));
    clerks = await Promise.all(enterprises.map((id, i) => stack.as({ sub: `clerk-${i}`, role: 'enterprise', uscc: id })));
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    renshe = await stack.as({ sub: 'renshe-1', role: 'reviewer', dept: 'renshe' });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
    anyone = new Client(stack, undefined);
  });
  afterAll(() => stack.stop());

  /** Submits and approves at both stages; resolves when the award awaits publicity. */
  async function awaitingPublicity(clerk: ApiClient, body: object): Promise<string> {
    const { body: app } = await clerk.post('/applications', body, { 'idempotency-key': `publicity-${String(++n).padStart(6, '0')}` });
    for (const reviewer of [park, kejiju]) {
      const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === app.id), 'a task');
      expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve', comment: '同意' })).status).toBe(200);
    }
    const awaiting = await statusReached(clerk, app.id, 'AWAITING_PUBLICITY');
    expect(awaiting.approvedAmount).toBeDefined();
    return app.id;
  }

  const events = async (clerk: ApiClient, id: string) => (await clerk.get(`/applications/${id}/events`)).body.items as { type: string; data?: Record<string, unknown> }[];

  it('an objection holds one award while the other becomes payable; dismissed, it becomes payable too', async () => {
    expect((await kejiju.post('/publicity', { title: '无项目' })).status).toBe(409);
    const held = await awaitingPublicity(clerks[0]!, platformAward('PUB-1', 'municipal-tech-innovation-center'));
    const free = await awaitingPublicity(clerks[1]!, platformAward('PUB-2', 'municipal-tech-innovation-center'));
    // Not payable yet: finance has nothing to batch.
    expect((await finance.post('/batches', {})).status).toBe(409);
    expect((await park.post('/publicity', { title: '园区无权公示' })).status).toBe(403);
    expect((await renshe.post('/publicity', { title: '人社局无待公示项目' })).status).toBe(409);

    const published = await kejiju.post('/publicity', { title: '2026年第一批科技创新平台奖励公示' });
    expect(published.status).toBe(201);
    const notice = published.body;
    expect(notice.items.map((i: { applicationId: string }) => i.applicationId).sort()).toEqual([held, free].sort());
    expect(notice.workingDays).toBe(5);
    expect(workingDaysBetween(chinaDate(new Date()), notice.endsOn)).toBe(5);
    expect(notice.startsOn > chinaDate(new Date())).toBe(true);
    const heldItem = notice.items.find((i: { applicationId: string }) => i.applicationId === held);
    expect(heldItem).toMatchObject({ enterpriseName: '晋城公示1科技有限公司', amount: '100000.00', programTitle: expect.any(String), measure: expect.stringContaining('条') });

    // Public, no token: the notice without application ids.
    const list = await anyone.get('/public/notices');
    expect(list.status).toBe(200);
    expect(list.body.items[0].noticeId).toBe(notice.noticeId);
    expect(JSON.stringify(list.body)).not.toContain(held);
    expect((await anyone.get(`/public/notices/${notice.noticeId}`)).body.items).toHaveLength(2);

    const tooShort = await anyone.post(`/public/notices/${notice.noticeId}/objections`, objection(heldItem.itemNo, '太短'));
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.issues[0].path).toBe('reason');
    const received = await anyone.post(`/public/notices/${notice.noticeId}/objections`, objection(heldItem.itemNo));
    expect(received.status).toBe(202);

    // The period ends: the award without an objection is payable, the other is held.
    await statusReached(clerks[1]!, free, 'APPROVED');
    await eventually(async () => ((await events(clerks[0]!, held)).some((e) => e.type === 'PUBLICITY_ENDED') ? true : undefined), 'the end of the period');
    expect((await clerks[0]!.get(`/applications/${held}`)).body.status).toBe('PUBLICIZING');
    const batch = await finance.post('/batches', {});
    expect(batch.status).toBe(201);
    expect(batch.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([free]);

    // After the period: no more objections.
    expect((await anyone.post(`/public/notices/${notice.noticeId}/objections`, objection(heldItem.itemNo))).status).toBe(409);

    // The department sees it with the contact; another department does not.
    const [seen] = (await kejiju.get('/objections')).body.items;
    expect(seen).toMatchObject({ objectionId: received.body.objectionId, applicationId: held, contact: '13800000000', status: 'OPEN' });
    expect((await renshe.get('/objections')).body.items).toEqual([]);
    expect((await renshe.post(`/objections/${seen.objectionId}/resolution`, { outcome: 'upheld', comment: '无权' })).status).toBe(404);
    expect((await kejiju.post(`/objections/${seen.objectionId}/resolution`, { outcome: 'dismissed' })).status).toBe(400);

    const dismissed = await kejiju.post(`/objections/${seen.objectionId}/resolution`, { outcome: 'dismissed', comment: '经核实，认定文件真实有效。' });
    expect(dismissed.status).toBe(200);
    await statusReached(clerks[0]!, held, 'APPROVED');
    expect((await kejiju.post(`/objections/${seen.objectionId}/resolution`, { outcome: 'upheld', comment: '再次处理' })).status).toBe(409);
    const trail = (await events(clerks[0]!, held)).map((e) => e.type);
    expect(trail).toEqual(expect.arrayContaining(['GRANTED', 'NOTICE_PUBLISHED', 'OBJECTION_RECEIVED', 'PUBLICITY_ENDED', 'OBJECTION_RESOLVED']));
    // The enterprise's trail never shows who objected.
    expect(JSON.stringify(await events(clerks[0]!, held))).not.toContain('13800000000');
    expect((await finance.post('/batches', {})).body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([held]);
  });

  it('an upheld objection rejects the award and releases its ledger key for a competing application', async () => {
    const platform = platformAward('PUB-SAME', 'municipal-tech-innovation-center');
    const first = await awaitingPublicity(clerks[2]!, platform);
    const published = await kejiju.post('/publicity', { title: '第二批' });
    expect(published.status).toBe(201);
    const received = await anyone.post(`/public/notices/${published.body.noticeId}/objections`, objection(1, '该平台已由其他单位申报并获奖励。'));
    expect(received.status).toBe(202);
    const upheld = await kejiju.post(`/objections/${received.body.objectionId}/resolution`, { outcome: 'upheld', comment: '经核实，该平台的依托单位不是申报单位。' });
    expect(upheld.status).toBe(200);
    await statusReached(clerks[2]!, first, 'REJECTED');
    const told = (await events(clerks[2]!, first)).find((e) => e.type === 'OBJECTION_RESOLVED');
    expect(told?.data).toMatchObject({ outcome: 'upheld', comment: '经核实，该平台的依托单位不是申报单位。' });

    // The key is free again: the competing application is assessed and granted in full.
    const second = await awaitingPublicity(clerks[3]!, platform);
    expect((await clerks[3]!.get(`/applications/${second}`)).body.approvedAmount).toBe('100000.00');
  });

  it('two simultaneous publications never put one award in two notices', async () => {
    const ids = [
      await awaitingPublicity(clerks[0]!, platformAward('PUB-RACE-1', 'municipal-tech-innovation-center')),
      await awaitingPublicity(clerks[1]!, platformAward('PUB-RACE-2', 'municipal-tech-innovation-center')),
    ];
    const answers = await Promise.all([kejiju, admin, kejiju, admin].map((publisher, i) => publisher.post('/publicity', { title: `并发公示 ${i}` })));
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const published = answers.filter((a) => a.status === 201).flatMap((a) => a.body.items.map((i: { applicationId: string }) => i.applicationId));
    // Every award awaiting publicity (the earlier test left one too) is in exactly one notice.
    expect(published).toEqual(expect.arrayContaining(ids));
    expect(new Set(published).size).toBe(published.length);
    for (const id of ids) {
      const trail = await events(clerks[ids.indexOf(id)]!, id);
      expect(trail.filter((e) => e.type === 'NOTICE_PUBLISHED')).toHaveLength(1);
    }
  });

  it('refuses a burst of objections from one address with 429', async () => {
    const [notice] = (await anyone.get('/public/notices')).body.items;
    const answers = await Promise.all(Array.from({ length: 10 }, () => anyone.post(`/public/notices/${notice.noticeId}/objections`, objection(1))));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(answers.find((a) => a.status === 429)?.body.error.code).toBe('RATE_LIMITED');
    // Nobody is let in beyond the limit (5 per address and window), whatever the others answer.
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(5);
  });
});

describe('公示 across a crash of the local stack', () => {
  const stack = new LocalStackProcess({ env: { PUBLICITY_SECONDS: '8' } });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  it('an award whose period runs while the stack is down still becomes payable', async () => {
    const enterpriseUscc = uscc(65);
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    await admin.put(`/registry/${enterpriseUscc}`, registryEntry());
    const clerk = await stack.as({ sub: 'clerk-65', role: 'enterprise', uscc: enterpriseUscc });
    const park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    const kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    const { body: app } = await clerk.post('/applications', platformAward('PUB-CRASH', 'municipal-tech-innovation-center'), { 'idempotency-key': 'publicity-crash-1' });
    for (const reviewer of [park, kejiju]) {
      const task = await eventually(async () => (await reviewer.get('/tasks')).body.items[0], 'a task');
      await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' });
    }
    await statusReached(clerk, app.id, 'AWAITING_PUBLICITY');
    expect((await kejiju.post('/publicity', { title: '崩溃测试' })).status).toBe(201);
    await statusReached(clerk, app.id, 'PUBLICIZING');

    await stack.kill();
    await stack.start();

    await statusReached(clerk, app.id, 'APPROVED');
    const trail = (await clerk.get(`/applications/${app.id}/events`)).body.items.map((e: { type: string }) => e.type);
    expect(trail.filter((t: string) => t === 'PUBLICITY_ENDED')).toHaveLength(1);
  }, 180_000);
});
