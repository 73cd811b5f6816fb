import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { LocalStackProcess, eventually } from '../support/local-stack.js';

/** Amounts as people write them, and every 核减 with its reason, shown to the enterprise beside the amount. */
describe.skipIf(chromiumMissing)('amounts and reasons in the console', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  const enterprise = uscc(801);
  let browser: Browser;
  let applicationId = '';

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    const admin = await stack.as({ sub: 'admin-amounts', role: 'admin' });
    const bankAccount = { name: '晋城核减示例有限公司', bank: '中国银行晋城分行', number: '6216600000009998887' };
    expect((await admin.put(`/registry/${enterprise}`, { name: '晋城核减示例有限公司', joinedOn: '2025-01-10', bankAccount })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('the calculator takes “1,234.50” and “200万” as amounts, and says 金额 when one is wrong', async () => {
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: enterprise, sub: 'clerk-amounts' });
    await page.getByLabel('政策项目').selectOption({ value: 'startup-capital' });
    await page.getByLabel('入选日期').fill('2025-04-01');
    // A half-filled form survives a reload (kept for this tab only): reload once the draft is kept.
    await expect.poll(() => page.evaluate(() => Object.values(sessionStorage).some((value) => value.includes('2025-04-01')))).toBe(true);
    await page.reload();
    expect(await page.getByLabel('入选日期').inputValue()).toBe('2025-04-01');
    expect(await page.getByLabel('政策项目').inputValue()).toBe('startup-capital');
    await page.getByLabel('实缴注册资本（元）').fill('1,2,3元角');
    await page.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('金额应以元为单位');
    expect(await page.getByRole('alert').textContent()).not.toContain('字符串');
    await page.getByLabel('实缴注册资本（元）').fill('200万');
    await expect.poll(() => page.locator('.field.money .hint').textContent()).toContain('即 ¥2,000,000.00');
    await page.getByRole('button', { name: '试算' }).click();
    // 第3条: half the paid-in capital, at most 500,000.
    await expect.poll(() => page.getByTestId('quote-amount').textContent()).toBe('¥500,000.00');
    await page.getByLabel('实缴注册资本（元）').fill('800,000.00');
    await page.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => page.getByTestId('quote-amount').textContent()).toBe('¥400,000.00');
    await expectAccessible(page, 'the calculator with a typed amount');
    await screenshot(page, '23-enterprise-amount-typed');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByText('申请已提交').waitFor();
    applicationId = /#\/applications\/([0-9A-Z]{26})/.exec(page.url())![1]!;
    // The page follows the workflow by itself: no 刷新 is clicked here.
    await page.getByRole('heading', { name: /审核中/ }).waitFor();
    // A submitted application leaves no draft behind.
    await page.getByRole('link', { name: '政策计算器与申报' }).click();
    expect(await page.getByLabel('政策项目').inputValue()).toBe('');
  });

  it('a 核减 needs a reason; the enterprise sees it beside the approved amount', async () => {
    const park = await stack.as({ sub: 'park-amounts', role: 'reviewer', dept: 'park' });
    const parkTask = await eventually(async () => (await park.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === applicationId), 'the park task');
    expect((await park.post(`/tasks/${parkTask.taskId}/decision`, { decision: 'approve' })).status).toBe(200);

    const { page } = await signIn(browser, stack.url, { role: '审核人员', dept: '市科技局', sub: 'kejiju-amounts' });
    const link = page.getByRole('link', { name: `办理 ${applicationId}` });
    // The list loads once: wait for the task through the API, then open the page.
    const kejiju = await stack.as({ sub: 'kejiju-amounts', role: 'reviewer', dept: 'kejiju' });
    await eventually(async () => (await kejiju.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === applicationId), 'the 科技局 task');
    await page.reload();
    await link.click();
    await page.getByText(/核减金额/).click();
    await page.getByLabel(/核定金额（元/).fill('30万');
    await page.getByRole('button', { name: '提交审核意见' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('核减金额须填写意见');
    expect(await page.getByRole('alert').textContent()).toContain('意见：');
    await page.getByLabel(/^意见/).fill('实缴资本中 20 万元为借款，不予认定');
    await page.getByRole('button', { name: '提交审核意见' }).click();
    await page.getByText('已提交：通过').waitFor();

    const clerk = await stack.as({ sub: 'clerk-amounts', role: 'enterprise', uscc: enterprise });
    await eventually(async () => ((await clerk.get(`/applications/${applicationId}`)).body.status === 'AWAITING_PUBLICITY' ? true : undefined), 'AWAITING_PUBLICITY');
    const { page: own } = await signIn(browser, stack.url, { role: '企业', uscc: enterprise, sub: 'clerk-amounts' });
    await own.goto(`${stack.url}/#/applications/${applicationId}`);
    const why = own.getByRole('list', { name: '核减说明' });
    await why.waitFor();
    expect(await why.textContent()).toBe('主管部门审核核减：¥400,000.00 → ¥300,000.00。意见：实缴资本中 20 万元为借款，不予认定');
    await expectAccessible(own, 'the approved application with its 核减');
    await screenshot(own, '24-enterprise-reduction-reason');
  });
});
