import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, expectNoHorizontalOverflow, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/** A payment the bank refused: the enterprise is told what happened and what to do; finance sees it back in the pool. */
describe.skipIf(chromiumMissing)('a failed payment in the console', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const enterprise = uscc(951);
  let browser: Browser;
  let applicationId = '';

  const decide = async (reviewer: ApiClient, id: string, body: object) => {
    const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === id), 'the task');
    expect((await reviewer.post(`/tasks/${task.taskId}/decision`, body)).status).toBe(200);
  };

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    const admin = await stack.as({ sub: 'admin-pay', role: 'admin' });
    const bankAccount = { name: '晋城拨付示例有限公司', bank: '中国银行晋城分行', number: '6216600000001212121' };
    expect((await admin.put(`/registry/${enterprise}`, { name: '晋城拨付示例有限公司', joinedOn: '2025-01-10', bankAccount })).status).toBe(200);
    const clerk = await stack.as({ sub: 'clerk-pay', role: 'enterprise', uscc: enterprise });
    const details = { projectId: 'PAY-1', projectName: '智能电网巡检', awardedOn: '2025-06-01', level: 'shanxi', rank: 3 };
    const created = await clerk.post('/applications', { programId: 'competition-award', details }, { 'idempotency-key': 'payment-failure-1' });
    applicationId = created.body.id;
    await decide(await stack.as({ sub: 'park-pay', role: 'reviewer', dept: 'park' }), applicationId, { decision: 'approve' });
    const kejiju = await stack.as({ sub: 'kejiju-pay', role: 'reviewer', dept: 'kejiju' });
    await decide(kejiju, applicationId, { decision: 'approve' });
    await throughPublicity(kejiju, clerk, [applicationId]);
    const finance = await stack.as({ sub: 'finance-pay', role: 'finance' });
    const batch = await finance.post('/batches', {});
    expect(batch.status).toBe(201);
    const file = await fetch(`${stack.url}/batches/${batch.body.batchId}/export?format=csv`, { headers: { authorization: `Bearer ${finance.token}` } });
    expect(file.status).toBe(200);
    const results = [{ applicationId, status: 'failed', reason: '户名与账号不符' }];
    expect((await finance.post(`/batches/${batch.body.batchId}/payments`, { results })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('the enterprise is told the bank’s reason and to check its account; no new application is needed', async () => {
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: enterprise, sub: 'clerk-pay' }, { width: 390, height: 844 });
    await page.goto(`${stack.url}/#/applications/${applicationId}`);
    const note = page.getByRole('note', { name: '拨付失败' });
    await note.waitFor();
    expect(await note.textContent()).toContain('户名与账号不符');
    expect(await note.textContent()).toContain('请核对本企业在入驻主体名录中登记的收款账户');
    await expectNoHorizontalOverflow(page);
    await expectAccessible(page, 'a failed payment');
    await screenshot(page, '27-enterprise-payment-failed');
  });

  it('finance sees the award back in the pool, and is warned that its program has no budget', async () => {
    const { page } = await signIn(browser, stack.url, { role: '财务', sub: 'finance-pay' });
    await page.getByTestId('pool-total').waitFor();
    expect(await page.getByTestId('pool-total').textContent()).toBe('¥10,000.00');
    // No budget is set for the program: finance is told before making a batch.
    expect(await page.getByRole('note', { name: '未设定预算' }).textContent()).toContain('创新创业大赛配套奖励 未设定本年度预算');
    await expectAccessible(page, 'the pool with a failed payment back in it');
    await screenshot(page, '28-finance-pool-unbudgeted');
  });
});
