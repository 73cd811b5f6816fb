import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, expectNoHorizontalOverflow, identifierLikeTokens, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { pdf } from '../support/documents.js';
import { type ApiClient, ApiClient as Client, LocalStackProcess, eventually } from '../support/local-stack.js';
import { statusReached } from '../support/publicity.js';

/** The console's second-round pages: 通知 (inbox), 公示异议 (objections) and 申报材料 (documents). */
describe.skipIf(chromiumMissing)('inbox, objections and documents in the console', () => {
  // The 公示 period outlasts the test: the objection is made and resolved within it.
  const stack = new LocalStackProcess({ inMemory: true, env: { PUBLICITY_SECONDS: '600' } });
  const returned = uscc(801);
  const objected = uscc(802);
  const uploader = uscc(803);
  const users = new Set(['clerk-inbox', 'kejiju-objections', 'clerk-docs', 'park-docs']);
  let browser: Browser;
  let admin: ApiClient;
  let park: ApiClient;
  let kejiju: ApiClient;
  let n = 0;

  async function decide(reviewer: ApiClient, applicationId: string, body: object) {
    const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === applicationId), `a task for ${applicationId}`);
    const decided = await reviewer.post(`/tasks/${task.taskId}/decision`, body);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  }
  async function submit(clerk: ApiClient, body: object): Promise<string> {
    const created = await clerk.post('/applications', body, { 'idempotency-key': `inbox-test-${++n}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    admin = await stack.as({ sub: 'admin-inbox', role: 'admin' });
    for (const [i, id] of [returned, objected, uploader].entries()) expect((await admin.put(`/registry/${id}`, registryEntry(`晋城通知${i + 1}号科技有限公司`))).status).toBe(200);
    park = await stack.as({ sub: 'park-inbox', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-inbox', role: 'reviewer', dept: 'kejiju' });
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const unreadOf = async (clerk: ApiClient) => ((await clerk.get('/notifications?limit=100')).body.items as { readAt?: string }[]).filter((item) => !item.readAt).length;

  it('a returned application: the enterprise sees the unread count and the notification, opens it, and the count drops', async () => {
    const clerk = await stack.as({ sub: 'clerk-inbox', role: 'enterprise', uscc: returned });
    const id = await submit(clerk, platformAward('INBOX-1'));
    await decide(park, id, { decision: 'return', comment: '请补充平台批准文件的文号' });
    const notification = await eventually(
      async () => ((await clerk.get('/notifications')).body.items as { kind: string; applicationId?: string; title: string }[]).find((item) => item.kind === 'RETURNED' && item.applicationId === id),
      'the RETURNED notification',
    );
    const before = await unreadOf(clerk);
    expect(before).toBeGreaterThan(0);

    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: returned, sub: 'clerk-inbox' });
    const unread = page.getByTestId('unread');
    await expect.poll(() => unread.textContent(), { timeout: 15_000 }).toBe(`通知${before} 条未读`);
    await unread.click();
    const item = page.getByRole('listitem').filter({ hasText: notification.title });
    await item.waitFor();
    expect(await item.textContent()).toContain('退回补正');
    expect(await item.textContent()).toContain('未读');
    await expectAccessible(page, 'the inbox');
    await screenshot(page, '40-enterprise-inbox');
    expect(await identifierLikeTokens(page, 'inbox', users)).toEqual([]);

    await item.getByRole('link', { name: notification.title }).click();
    await page.waitForURL(new RegExp(`#/applications/${id}$`));
    await page.getByText('退回意见').waitFor();
    await expect.poll(() => unread.textContent(), { timeout: 15_000 }).toBe(before - 1 ? `通知${before - 1} 条未读` : '通知');
    expect(await unreadOf(clerk)).toBe(before - 1);

    const { page: narrow } = await signIn(browser, stack.url, { role: '企业', uscc: returned, sub: 'clerk-inbox' }, { width: 390, height: 844 });
    await narrow.getByTestId('unread').click();
    await narrow.getByRole('list', { name: '通知列表' }).waitFor();
    await expectNoHorizontalOverflow(narrow);
  });

  it('a 科技局 reviewer resolves an objection on the 公示异议 page; the sign-in page links to the public notices', async () => {
    const clerk = await stack.as({ sub: 'clerk-objected', role: 'enterprise', uscc: objected });
    const id = await submit(clerk, platformAward('OBJ-1', 'municipal-tech-innovation-center'));
    for (const reviewer of [park, kejiju]) await decide(reviewer, id, { decision: 'approve', comment: '同意' });
    await statusReached(clerk, id, 'AWAITING_PUBLICITY');
    const published = await kejiju.post('/publicity', { title: '浏览器测试公示' });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const item = published.body.items.find((i: { applicationId: string }) => i.applicationId === id);
    const anyone = new Client(stack, undefined);
    const objection = await anyone.post(`/public/notices/${published.body.noticeId}/objections`, { itemNo: item.itemNo, name: '王五', contact: '13900000000', reason: '该中心的认定时间与申报材料不一致，请核实。' });
    expect(objection.status).toBe(202);

    const { page } = await signIn(browser, stack.url, { role: '审核人员', dept: '市科技局', sub: 'kejiju-objections' });
    await page.getByRole('link', { name: '公示异议' }).click();
    const entry = page.getByRole('article').filter({ hasText: '王五' });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('晋城通知2号科技有限公司');
    expect(await entry.textContent()).toContain('该中心的认定时间与申报材料不一致');
    expect(await entry.textContent()).toContain('待处理');
    await expectAccessible(page, 'the objections page');
    await screenshot(page, '41-reviewer-objections');
    expect(await identifierLikeTokens(page, 'objections', users)).toEqual([]);

    // The comment is required.
    await entry.getByRole('button', { name: '提交处理结果' }).click();
    await expect.poll(() => entry.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('请填写处理意见');
    await entry.getByRole('radio', { name: '异议不成立' }).check();
    await entry.getByLabel('处理意见（必填）').fill('经核实，认定时间与批准文件一致。');
    await entry.getByRole('button', { name: '提交处理结果' }).click();
    await entry.getByText('异议不成立：经核实，认定时间与批准文件一致。', { exact: false }).waitFor();
    await expect.poll(async () => (await entry.textContent()) ?? '').toContain('异议不成立：经核实，认定时间与批准文件一致。');
    const listed = (await kejiju.get('/objections')).body.items.find((o: { objectionId: string }) => o.objectionId === objection.body.objectionId);
    expect(listed).toMatchObject({ status: 'DISMISSED', resolution: { outcome: 'dismissed', comment: '经核实，认定时间与批准文件一致。' } });

    const narrow = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const visitor = await narrow.newPage();
    await visitor.goto(stack.url);
    await visitor.getByRole('link', { name: '查看公示公告（无需登录）' }).click();
    await visitor.getByRole('heading', { name: '公示公告' }).waitFor();
    await visitor.getByRole('heading', { name: '浏览器测试公示' }).waitFor();
    const { page: narrowReviewer } = await signIn(browser, stack.url, { role: '审核人员', dept: '市科技局', sub: 'kejiju-objections' }, { width: 390, height: 844 });
    await narrowReviewer.getByRole('link', { name: '公示异议' }).click();
    await narrowReviewer.getByRole('article').first().waitFor();
    await expectNoHorizontalOverflow(narrowReviewer);
  });

  it('an enterprise uploads a PDF, sees it checked, submits; the reviewer sees and opens it', async () => {
    const { page: clerk } = await signIn(browser, stack.url, { role: '企业', uscc: uploader, sub: 'clerk-docs' });
    await clerk.getByLabel('政策项目').selectOption({ value: 'competition-award' });
    await clerk.getByLabel('项目编号').fill('DOC-1');
    await clerk.getByLabel('项目名称').fill('煤层气智能监测系统');
    await clerk.getByLabel('获奖日期').fill('2025-06-01');
    await clerk.getByLabel('赛事级别').selectOption({ label: '山西赛区' });
    await clerk.getByLabel('名次').selectOption({ label: '3' });
    const bytes = pdf('browser upload');
    await clerk.getByLabel('营业执照（必需）（可承诺）').setInputFiles({ name: '营业执照.pdf', mimeType: 'application/pdf', buffer: bytes });
    const licence = clerk.getByRole('listitem').filter({ hasText: '营业执照' });
    await expect.poll(() => licence.getByRole('status').textContent(), { timeout: 60_000 }).toBe('已通过检查');
    await clerk.getByLabel('获奖证书（必需）').setInputFiles({ name: '获奖证书.png', mimeType: 'image/png', buffer: bytes });
    // A PDF declared as PNG: the check reads the bytes and says why in Chinese.
    const certificate = clerk.getByRole('listitem').filter({ hasText: '获奖证书' });
    await expect.poll(() => certificate.getByRole('status').textContent(), { timeout: 60_000 }).toBe('未通过检查：文件内容为 PDF，与申报的 PNG 不符');
    await expectAccessible(clerk, 'the calculator with documents');
    await screenshot(clerk, '42-enterprise-documents');
    expect(await identifierLikeTokens(clerk, 'calculator documents', users)).toEqual([]);

    await clerk.getByRole('button', { name: '试算' }).click();
    await clerk.getByTestId('quote-amount').waitFor();
    await clerk.getByRole('button', { name: '提交申请' }).click();
    await clerk.getByText('申请已提交').waitFor();
    const applicationId = /#\/applications\/([0-9A-Z]{26})/.exec(clerk.url())![1]!;
    const owner = await stack.as({ sub: 'clerk-docs', role: 'enterprise', uscc: uploader });
    const stored = (await owner.get(`/applications/${applicationId}`)).body;
    // Only the checked document went with the submission.
    expect(stored.documents).toEqual([{ docType: 'business-licence', documentId: expect.any(String) }]);

    const parkDocs = await stack.as({ sub: 'park-docs', role: 'reviewer', dept: 'park' });
    const task = await eventually(async () => (await parkDocs.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === applicationId), 'the park task');
    const { page: reviewer } = await signIn(browser, stack.url, { role: '审核人员', dept: '园区', sub: 'park-docs' });
    await reviewer.goto(`${stack.url}/#/tasks/${task.taskId}/${applicationId}`);
    const documents = reviewer.getByRole('list', { name: '申报材料' });
    await documents.getByText('营业执照.pdf').waitFor();
    expect(await documents.textContent()).toContain('已通过检查');
    await expectAccessible(reviewer, 'the task page with documents');
    await screenshot(reviewer, '43-reviewer-documents');
    // The file's own name (营业执照.pdf) is the enterprise's words.
    expect(await identifierLikeTokens(reviewer, 'task page documents', new Set([...users, 'pdf']))).toEqual([]);
    const [tab] = await Promise.all([reviewer.waitForEvent('popup'), documents.getByRole('button', { name: '查看 营业执照' }).click()]);
    await expect.poll(() => tab.url(), { timeout: 15_000 }).toMatch(/^blob:/);
    // The view is on the application's trail.
    await eventually(
      async () => ((await parkDocs.get(`/applications/${applicationId}/events`)).body.items as { type: string }[]).some((e) => e.type === 'DOCUMENT_VIEWED') || undefined,
      'the DOCUMENT_VIEWED event',
    );

    const { page: narrow } = await signIn(browser, stack.url, { role: '企业', uscc: uploader, sub: 'clerk-docs' }, { width: 390, height: 844 });
    await narrow.getByLabel('政策项目').selectOption({ value: 'competition-award' });
    await narrow.getByRole('group', { name: '申报材料' }).waitFor();
    await expectNoHorizontalOverflow(narrow);
  }, 180_000);
});
