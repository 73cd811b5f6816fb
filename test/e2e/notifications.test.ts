import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../infra/local/jwt.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { NotificationPage, Notification } from '../../schemas/api.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/**
 * The in-app inbox, fed by the table's stream through the local event source mapping: a returned
 * application reaches its enterprise's inbox once, even when the stream is read again from the start;
 * no other enterprise or department sees it.
 */
describe('the in-app inbox', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  let enterprise: ApiClient;
  let other: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let key = 0;
  const as = async (claims: Parameters<typeof signToken>[1]) => new ApiClient(stack, await signToken(stack.keys, claims));
  const inbox = async (client: ApiClient, query = '') => {
    const { status, body } = await client.get(`/notifications${query}`);
    expect(status).toBe(200);
    return NotificationPage.parse(body);
  };
  const notificationOf = (client: ApiClient, applicationId: string, kind: string) =>
    eventually(async () => (await inbox(client, '?limit=100')).items.find((n) => n.applicationId === applicationId && n.kind === kind), `${kind} of ${applicationId}`);
  const submit = async (platformId: string) => (await enterprise.post('/applications', platformAward(platformId), { 'idempotency-key': `inbox-${String(++key).padStart(6, '0')}` })).body.id as string;

  beforeAll(async () => {
    stack = await startLocalStack({ keysDir, publicitySeconds: Number(PUBLICITY_ENV.PUBLICITY_SECONDS) });
    const admin = await as({ sub: 'a', role: 'admin' });
    await admin.put(`/registry/${uscc(141)}`, registryEntry());
    await admin.put(`/registry/${uscc(142)}`, registryEntry('晋城另一家科技有限公司'));
    enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(141) });
    other = await as({ sub: 'o', role: 'enterprise', uscc: uscc(142) });
    park = await as({ sub: 'p', role: 'reviewer', dept: 'park' });
    kejiju = await as({ sub: 'k', role: 'reviewer', dept: 'kejiju' });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('tells the enterprise once that its application was returned, with the comment and the due date, even when the stream is redelivered', async () => {
    const id = await submit('LAB-INBOX-1');
    // The park's department inbox learns of the task; 科技局's does not.
    const opened = await notificationOf(park, id, 'TASK_OPENED');
    expect(opened.taskId).toMatch(/^[0-9a-f]{32}$/);
    expect((await inbox(kejiju, '?limit=100')).items.some((n) => n.applicationId === id)).toBe(false);

    const decided = await park.post(`/tasks/${opened.taskId}/decision`, { decision: 'return', comment: '请补充获批文件扫描件' });
    expect(decided.status).toBe(200);
    const returned = await notificationOf(enterprise, id, 'RETURNED');
    const application = (await enterprise.get(`/applications/${id}`)).body;
    expect(returned.title).toBe('申请被退回补正');
    expect(returned.body).toContain('请补充获批文件扫描件');
    const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(application.revisionDueAt));
    expect(returned.body).toContain(`请于 ${due} 前`);
    expect(returned.readAt).toBeUndefined();

    // Every record of the stream is delivered again, as a re-created mapping would.
    const mapping = stack.eventSources.mappingIds.find((m) => m.startsWith('InboxConsumer'));
    const handledBefore = stack.eventSources.handled.get(mapping!) ?? 0;
    expect(handledBefore).toBeGreaterThan(0);
    await stack.eventSources.replay(mapping!);
    await eventually(async () => ((stack.eventSources.handled.get(mapping!) ?? 0) >= 2 * handledBefore ? true : undefined), 'the stream redelivered');
    const after = (await inbox(enterprise, '?limit=100')).items;
    expect(after.filter((n) => n.applicationId === id && n.kind === 'RETURNED')).toHaveLength(1);
    expect(after.find((n) => n.kind === 'RETURNED')).toEqual(returned);

    // Another enterprise sees nothing, and cannot mark the notification read.
    expect((await inbox(other)).items).toEqual([]);
    expect((await other.post(`/notifications/${returned.notificationId}/read`)).status).toBe(404);
  });

  it('marks a notification read once, and tells a rejected application the reviewer’s reason', async () => {
    const id = await submit('LAB-INBOX-2');
    const task = await notificationOf(park, id, 'TASK_OPENED');
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'reject', comment: '平台不在本市注册' })).status).toBe(200);
    const rejected = await notificationOf(enterprise, id, 'REJECTED');
    expect(rejected.body).toContain('理由：平台不在本市注册');

    const read = await enterprise.post(`/notifications/${rejected.notificationId}/read`);
    expect(read.status).toBe(200);
    const first = Notification.parse(read.body).readAt;
    expect(first).toBeDefined();
    expect(Notification.parse((await enterprise.post(`/notifications/${rejected.notificationId}/read`)).body).readAt).toBe(first);
    expect((await inbox(enterprise, '?limit=100')).items.find((n) => n.notificationId === rejected.notificationId)!.readAt).toBe(first);
  });

  it('tells the enterprise its award was approved for 公示, then payable, then paid, or that payment failed and the account should be checked', async () => {
    const finance = await as({ sub: 'f', role: 'finance' });
    const ids: string[] = [];
    for (const platformId of ['LAB-INBOX-3', 'LAB-INBOX-4']) {
      const { body } = await enterprise.post('/applications', platformAward(platformId, 'municipal-tech-innovation-center'), { 'idempotency-key': `inbox-${String(++key).padStart(6, '0')}` });
      for (const reviewer of [park, kejiju]) {
        const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === body.id), 'a task');
        expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
      }
      ids.push(body.id);
    }
    for (const id of ids) expect((await notificationOf(enterprise, id, 'APPROVED_FOR_PUBLICITY')).body).toContain('核定金额 100000.00 元');
    await throughPublicity(kejiju, enterprise, ids);
    for (const id of ids) expect((await notificationOf(enterprise, id, 'PUBLICITY_ENDED')).body).toContain('公示期满无异议');

    const batch = await finance.post('/batches', { programIds: ['platform-award'] });
    expect(batch.status).toBe(201);
    const exported = await fetch(`${stack.url}/batches/${batch.body.batchId}/export?format=csv`, { headers: { authorization: `Bearer ${finance.token}` } });
    expect(exported.status).toBe(200);
    const results = [
      { applicationId: ids[0], status: 'paid', reference: 'BANK-INBOX-1' },
      { applicationId: ids[1], status: 'failed', reason: '账户冻结' },
    ];
    expect((await finance.post(`/batches/${batch.body.batchId}/payments`, { results })).status).toBe(200);
    expect((await notificationOf(enterprise, ids[0]!, 'PAID')).body).toContain('BANK-INBOX-1');
    const failed = await notificationOf(enterprise, ids[1]!, 'PAYMENT_FAILED');
    expect(failed.body).toContain('账户冻结');
    expect(failed.body).toContain('请核对园区登记的银行账户信息');
    expect((await inbox(other)).items).toEqual([]);
  });

  it('sends an event the consumer cannot handle to the failure destination, which administrators can read locally', async () => {
    const admin = await as({ sub: 'a', role: 'admin' });
    expect((await admin.get('/local/event-failures')).body.items).toEqual([]);
    // An event of an application that does not exist: the inbox consumer fails on it every time.
    const { transact } = await import('../../functions/store/transactions.js');
    const { eventPut } = await import('../../functions/store/events.js');
    await transact([eventPut({ applicationId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', type: 'PAID', at: new Date().toISOString(), actor: 'test', data: { batchId: 'b', amount: '1.00' } })]);
    const failures = await eventually(async () => {
      const { body } = await admin.get('/local/event-failures');
      return body.items.length > 0 ? body.items : undefined;
    }, 'a failure record');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ queue: expect.stringMatching(/^InboxEventsFailures/), requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 }, DDBStreamBatchInfo: { batchSize: 1 } });
    expect((await enterprise.get('/local/event-failures')).status).toBe(403);
    expect((await new ApiClient(stack, undefined).get('/local/event-failures')).status).toBe(401);
  });

  it('pages newest first, and answers bad paging input with a 400 naming the field', async () => {
    const all = (await inbox(park, '?limit=100')).items;
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect([...all].sort((a, b) => (a.notificationId < b.notificationId ? 1 : -1))).toEqual(all);
    const first = await inbox(park, '?limit=1');
    expect(first.items).toEqual([all[0]]);
    const second = await inbox(park, `?limit=1&nextToken=${encodeURIComponent(first.nextToken!)}`);
    expect(second.items).toEqual([all[1]]);
    // Another caller's token is not theirs to use.
    const foreign = await kejiju.get(`/notifications?nextToken=${encodeURIComponent(first.nextToken!)}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.issues[0].path).toBe('query.nextToken');
    const badLimit = await park.get('/notifications?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.issues[0].path).toBe('query.limit');
    expect((await park.post('/notifications/not-an-id/read')).body.error.issues[0].path).toBe('path.id');
  });
});
