import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../infra/local/jwt.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import type { ReceivedMail } from '../../infra/local/smtp.js';
import { NotificationPage } from '../../schemas/api.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, eventually } from '../support/local-stack.js';

/**
 * Notification mail through the local stack's real SMTP server: the email consumer reads the table's
 * stream beside the inbox, sends to the roster's contactEmail, once per event and address, honours the
 * enterprise's preferences, and holds mail back while the mail server is down.
 */
describe('notification mail', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  let admin: ApiClient;
  let park: ApiClient;
  let key = 0;
  const as = async (claims: Parameters<typeof signToken>[1]) => new ApiClient(stack, await signToken(stack.keys, claims));
  const mails = async (): Promise<ReceivedMail[]> => {
    const { status, body } = await admin.get('/local/mail');
    expect(status).toBe(200);
    return body.items;
  };
  const mailsAbout = async (applicationId: string) => (await mails()).filter((m) => m.text?.includes(applicationId));
  const mailOf = (applicationId: string) => eventually(async () => (await mailsAbout(applicationId))[0], `a mail about ${applicationId}`);
  const returned = async (client: ApiClient, platformId: string, comment: string) => {
    const { body } = await client.post('/applications', platformAward(platformId), { 'idempotency-key': `mail-${String(++key).padStart(6, '0')}` });
    const task = await eventually(async () => (await park.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === body.id), 'a task');
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'return', comment })).status).toBe(200);
    return body.id as string;
  };
  const inboxHas = (client: ApiClient, applicationId: string, kind: string) =>
    eventually(async () => NotificationPage.parse((await client.get('/notifications?limit=100')).body).items.find((n) => n.applicationId === applicationId && n.kind === kind), `${kind} in the inbox`);
  const emailInvocations = () => [...stack.lambdas.invocations].filter(([entry]) => entry.includes('events/email')).reduce((sum, [, v]) => sum + v.count, 0);

  beforeAll(async () => {
    stack = await startLocalStack({ keysDir });
    admin = await as({ sub: 'a', role: 'admin' });
    park = await as({ sub: 'p', role: 'reviewer', dept: 'park' });
    expect((await admin.put(`/registry/${uscc(151)}`, { ...registryEntry(), contactEmail: 'shenbao@example.cn' })).status).toBe(200);
    expect((await admin.put(`/registry/${uscc(152)}`, { ...registryEntry('晋城另一家科技有限公司'), contactEmail: 'other@example.cn' })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses a malformed contact address and preferences with the field path', async () => {
    const bad = await admin.put(`/registry/${uscc(153)}`, { ...registryEntry(), contactEmail: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('contactEmail');
    const clerk = await as({ sub: 'e', role: 'enterprise', uscc: uscc(151) });
    const prefs = await clerk.put('/notification-preferences', { emailOff: ['NOT_A_KIND'] });
    expect(prefs.status).toBe(400);
    expect(JSON.stringify(prefs.body)).toContain('emailOff');
    expect((await clerk.put('/notification-preferences', { emailOff: ['PAID', 'PAID'] })).status).toBe(400);
  });

  it('mails a returned application to the roster contact in Chinese, text and HTML, with a link to the console, once even when the stream is replayed', async () => {
    const enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(151) });
    const id = await returned(enterprise, 'LAB-MAIL-1', '请补充获批文件扫描件');
    const mail = await mailOf(id);
    expect(mail.to).toEqual(['shenbao@example.cn']);
    expect(mail.subject).toBe('【晋创谷·晋城】申请被退回补正');
    const link = `${stack.url}/#/applications/${id}`;
    expect(mail.text).toContain('审核意见：请补充获批文件扫描件');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('请补充获批文件扫描件');

    const mapping = stack.eventSources.mappingIds.find((m) => m.startsWith('EmailConsumer'));
    expect(mapping).toBeDefined();
    const handledBefore = stack.eventSources.handled.get(mapping!) ?? 0;
    await stack.eventSources.replay(mapping!);
    await eventually(async () => ((stack.eventSources.handled.get(mapping!) ?? 0) >= 2 * handledBefore ? true : undefined), 'the stream redelivered');
    expect(await mailsAbout(id)).toHaveLength(1);
  });

  it('sends no mail of a kind the enterprise switched off, while its inbox still gets it', async () => {
    const other = await as({ sub: 'o', role: 'enterprise', uscc: uscc(152) });
    expect((await other.get('/notification-preferences')).body).toEqual({ emailOff: [] });
    const put = await other.put('/notification-preferences', { emailOff: ['RETURNED'] });
    expect(put.status).toBe(200);
    expect((await other.get('/notification-preferences')).body).toMatchObject({ emailOff: ['RETURNED'] });
    const quiet = await returned(other, 'LAB-MAIL-2', '材料不全');
    await inboxHas(other, quiet, 'RETURNED');
    // A later event's mail arrives only after the mapping has handled the earlier one (stream order).
    const enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(151) });
    const later = await returned(enterprise, 'LAB-MAIL-3', '请补充');
    await mailOf(later);
    expect(await mailsAbout(quiet)).toEqual([]);
    expect((await mails()).filter((m) => m.to.includes('other@example.cn'))).toEqual([]);
  });

  it('holds mail back while the mail server is down and delivers it once, when it is back', async () => {
    const enterprise = await as({ sub: 'e', role: 'enterprise', uscc: uscc(151) });
    await stack.smtp.stop();
    try {
      const before = emailInvocations();
      const id = await returned(enterprise, 'LAB-MAIL-4', '请重新上传');
      await inboxHas(enterprise, id, 'RETURNED');
      // The send fails and the mapping retries the record (several attempts, none delivered).
      await eventually(async () => (emailInvocations() >= before + 3 ? true : undefined), 'retried sends');
      expect(await mailsAbout(id)).toEqual([]);
      await stack.smtp.start();
      const mail = await mailOf(id);
      expect(mail.subject).toBe('【晋创谷·晋城】申请被退回补正');
      expect(await mailsAbout(id)).toHaveLength(1);
      const failures = (await admin.get('/local/event-failures')).body.items as { queue: string }[];
      expect(failures.filter((f) => f.queue.startsWith('EmailEvents'))).toEqual([]);
    } finally {
      await stack.smtp.start();
    }
  });

  it('lists received mail to administrators only', async () => {
    const clerk = await as({ sub: 'e', role: 'enterprise', uscc: uscc(151) });
    expect((await clerk.get('/local/mail')).status).toBe(403);
  });
});
