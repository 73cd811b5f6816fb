import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentId, uscc } from '../support/fixtures.js';
import { ARTIFACTS, chromiumMissing, expectAccessible, expectNoHorizontalOverflow, launchBrowser, screenshot } from '../support/browser.js';
import { LocalStackProcess } from '../support/local-stack.js';

/**
 * The web console in a real browser against the local stack (`npm start`): one person per browser
 * context, signing in through the console and using only what the console shows.
 */
describe.skipIf(chromiumMissing)('web console', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: { PUBLICITY_SECONDS: '3' } });
  const enterprise = uscc(501);
  const idNumber = residentId('14052519920101234');
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Every URL any page asked for: the console must not reach beyond its own origin. */
  const requested: string[] = [];
  let applicationId = '';

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  async function signIn(as: { role: '企业' | '审核人员' | '财务' | '系统管理员'; uscc?: string; dept?: string; sub: string }, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(stack.url);
    await page.getByRole('radio', { name: as.role, exact: true }).check();
    if (as.uscc) await page.getByLabel('统一社会信用代码').fill(as.uscc);
    if (as.dept) await page.getByLabel('所属部门').selectOption({ label: as.dept });
    await page.getByLabel('用户名').fill(as.sub);
    // The keyboard signs in as well as the mouse.
    await page.getByLabel('用户名').press('Enter');
    await page.getByRole('button', { name: '退出' }).waitFor();
    return page;
  }

  /** Clicks 刷新 until `ready` shows: the workflow moves on asynchronously after each request. */
  async function refreshUntil(page: Page, ready: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await ready()) return;
      await page.getByRole('button', { name: '刷新' }).click();
      await page.waitForLoadState('networkidle');
    }
    await screenshot(page, `failed-${what.replace(/\W+/g, '-')}`);
    throw new Error(`never saw ${what}`);
  }

  it('an admin puts the enterprise on the park roster', async () => {
    const admin = await signIn({ role: '系统管理员', sub: 'admin-1' });
    await expectAccessible(admin, 'the roster form');
    await admin.getByLabel('统一社会信用代码').fill(enterprise);
    await admin.getByLabel('企业名称').fill('晋城浏览器科技有限公司');
    await admin.getByLabel('入驻日期').fill('2025-01-10');
    await admin.getByLabel('账户名称').fill('晋城浏览器科技有限公司');
    await admin.getByLabel('开户银行').fill('中国银行晋城分行');
    await admin.getByLabel('银行账号').fill('6216600000007654321');
    await admin.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain(`已将 晋城浏览器科技有限公司（${enterprise}）登记到入驻主体名录`);
    // The roster below the form shows the entry, with the account awards are paid to.
    const entry = admin.getByRole('row', { name: new RegExp(enterprise) });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('6216600000007654321');
    await expectAccessible(admin, 'the roster with its list');
    await screenshot(admin, '01-admin-roster');
  });

  it('an enterprise quotes a program, is told what to fix, then submits', async () => {
    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    await clerk.getByLabel('政策项目').selectOption({ value: 'competition-award' });
    await clerk.getByLabel('项目编号').fill('BR-1');
    await clerk.getByLabel('项目名称').fill('智能矿山巡检机器人');
    await clerk.getByLabel('获奖日期').fill('2025-06-01');
    await clerk.getByLabel('赛事级别').selectOption({ label: '山西赛区' });
    // The schema's cross-field rule (a Shanxi award needs its rank) is checked before anything is sent.
    await clerk.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => clerk.getByRole('alert').textContent()).toContain('山西赛区获奖须填写名次');
    await expect(await clerk.getByLabel('名次').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(clerk, 'the calculator with errors');
    await screenshot(clerk, '02-enterprise-calculator-errors');

    await clerk.getByLabel('名次').selectOption({ label: '3' });
    await clerk.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => clerk.getByTestId('quote-amount').textContent()).toBe('¥10,000.00');
    expect(await clerk.getByRole('table', { name: '计算明细' }).textContent()).toContain('第9条');
    await screenshot(clerk, '03-enterprise-quote');

    await clerk.getByRole('button', { name: '提交申请' }).click();
    await clerk.getByText('申请已提交').waitFor();
    applicationId = /#\/applications\/([0-9A-Z]{26})/.exec(clerk.url())![1]!;
    await clerk.getByRole('list', { name: '办理记录' }).getByText('提交申请').waitFor();
    await expectAccessible(clerk, 'the application page');
    await screenshot(clerk, '04-enterprise-application');
  });

  for (const [dept, sub, order] of [
    ['园区', 'park-1', '05'],
    ['市科技局', 'kejiju-1', '06'],
  ] as const) {
    it(`the ${dept} reviewer claims the task and approves it`, async () => {
      const reviewer = await signIn({ role: '审核人员', dept, sub });
      const claim = reviewer.getByRole('button', { name: `认领 ${applicationId}` });
      await refreshUntil(reviewer, async () => (await claim.count()) > 0, `the ${dept} task`);
      await expectAccessible(reviewer, 'the task list');
      await screenshot(reviewer, `${order}-reviewer-${sub}-tasks`);
      await claim.click();
      await reviewer.getByText('已由我认领').waitFor();
      // The task page shows the assessment and the history beside the decision.
      await expect.poll(() => reviewer.getByTestId('quote-amount').textContent()).toBe('¥10,000.00');
      await reviewer.getByRole('list', { name: '办理记录' }).getByText('进入审核').first().waitFor();
      await expectAccessible(reviewer, 'the task page');
      await screenshot(reviewer, `${order}-reviewer-${sub}-task`);
      await reviewer.getByRole('radio', { name: '通过', exact: true }).check();
      await reviewer.getByRole('button', { name: '提交审核意见' }).click();
      await reviewer.getByText('已提交：通过').waitFor();
    });
  }

  it('the 科技局 reviewer publishes the 公示, and anyone reads it and objects without signing in', async () => {
    const reviewer = await signIn({ role: '审核人员', dept: '市科技局', sub: 'kejiju-1' });
    await reviewer.getByLabel('公示标题').fill('2026年科技创新奖励公示');
    // The last stage's Grant runs asynchronously: publish once the award awaits publicity.
    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    await clerk.goto(`${stack.url}/#/applications/${applicationId}`);
    await refreshUntil(clerk, async () => (await clerk.getByRole('heading', { name: /待公示|公示中|已批准/ }).count()) > 0, 'AWAITING_PUBLICITY');
    await reviewer.getByRole('button', { name: '发布公示' }).click();
    await reviewer.getByText(/已发布公示：1 个项目/).waitFor();
    await expectAccessible(reviewer, 'the task list with the 公示 form');

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    contexts.push(context);
    const visitor = await context.newPage();
    visitor.on('request', (request) => requested.push(request.url()));
    await visitor.goto(`${stack.url}/#/public`);
    await visitor.getByRole('heading', { name: '2026年科技创新奖励公示' }).waitFor();
    const text = (await visitor.getByRole('table', { name: '公示项目' }).textContent()) ?? '';
    expect(text).toContain('¥');
    expect(text).not.toContain(applicationId);
    await visitor.getByLabel('异议理由').fill('太短');
    await visitor.getByRole('button', { name: '提交异议' }).click();
    await visitor.getByRole('alert').getByText('异议理由').waitFor();
    await expectAccessible(visitor, 'the public notices with a refused objection');
    await expectNoHorizontalOverflow(visitor);
    await screenshot(visitor, '07a-public-notices');
  });

  it('the enterprise sees its application approved, with the audit trail', async () => {
    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    await clerk.goto(`${stack.url}/#/applications/${applicationId}`);
    await refreshUntil(clerk, async () => (await clerk.getByRole('heading', { name: /已批准/ }).count()) > 0, 'APPROVED');
    await expect.poll(() => clerk.getByRole('list', { name: '办理记录' }).textContent()).toContain('批准并登记台账');
    const trail = await clerk.getByRole('list', { name: '办理记录' }).textContent();
    for (const step of ['提交申请', '系统测算', '进入审核', '审核意见']) expect(trail).toContain(step);
    await screenshot(clerk, '07-enterprise-approved');
  });

  it('an admin sets this year’s budget for the program', async () => {
    const admin = await signIn({ role: '系统管理员', sub: 'admin-1' });
    await admin.getByRole('link', { name: '政策参数' }).click();
    await admin.getByLabel('参数', { exact: true }).selectOption('budget.competition-award');
    await admin.getByLabel('生效日期').fill(`${new Date().getFullYear()}-01-01`);
    await admin.getByLabel('取值').fill('5000.00');
    await admin.getByLabel('理由').fill('年度预算批复');
    await admin.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('budget.competition-award 自');
    await expectAccessible(admin, 'the parameters page');
    await screenshot(admin, '08-admin-parameters');
  });

  it('finance batches the award over budget with a reason, downloads the CSV and records the bank result', async () => {
    const finance = await signIn({ role: '财务', sub: 'finance-1' });
    await refreshUntil(finance, async () => (await finance.getByTestId('pool-total').count()) > 0, 'the approved award');
    expect(await finance.getByTestId('pool-total').textContent()).toBe('¥10,000.00');
    await expectAccessible(finance, 'the awards page');
    await screenshot(finance, '08-finance-awards');
    await finance.getByRole('button', { name: '生成拨付批次' }).click();
    // The award exceeds the 5,000 budget: refused with the figures, allowed with a reason.
    // Creating a batch reads the pool, the budgets and the credit list: give the refusal time on a loaded machine.
    await expect.poll(() => finance.getByRole('alert').textContent(), { timeout: 15_000 }).toContain('本批次将超出年度预算');
    expect(await finance.getByRole('alert').textContent()).toContain('年度预算 5000.00');
    await screenshot(finance, '08-finance-over-budget');
    await finance.getByLabel('超预算出批理由（必填）').fill('市政府常务会议同意追加');
    await finance.getByRole('button', { name: '超预算仍生成批次' }).click();
    await finance.getByText('批次已生成').waitFor();
    expect(await finance.getByText('市政府常务会议同意追加').count()).toBe(1);
    expect(await finance.getByTestId('batch-total').textContent()).toBe('¥10,000.00');

    const [download] = await Promise.all([finance.waitForEvent('download'), finance.getByRole('button', { name: '下载支付文件（CSV）' }).click()]);
    const file = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    const csv = readFileSync(file);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('批次号(batchId),申请编号(applicationId),统一社会信用代码(uscc),收款人(payeeName),开户行(payeeBank),账号(payeeAccount),项目代码(programId),项目名称(programTitle),政策依据(measure),金额（元）(amount)');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"${applicationId}","${enterprise}","晋城浏览器科技有限公司","中国银行晋城分行","6216600000007654321","competition-award","创新创业大赛配套奖励"`);
    expect(lines[1]!.endsWith(',10000.00')).toBe(true);
    await finance.getByText(`已下载 ${download.suggestedFilename()}`).waitFor();
    const [workbook] = await Promise.all([finance.waitForEvent('download'), finance.getByRole('button', { name: '下载支付文件（Excel）' }).click()]);
    expect(workbook.suggestedFilename()).toMatch(/^payments-[0-9A-Z]{26}\.xlsx$/);
    const xlsx = readFileSync((await workbook.path())!);
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');

    await finance.getByLabel(`${applicationId} 的银行结果`).selectOption({ label: '支付成功' });
    await finance.getByLabel(`${applicationId} 的银行流水号`).fill('BOC-2026-0001');
    await expectAccessible(finance, 'the batch page');
    await finance.getByRole('button', { name: '登记银行结果' }).click();
    await expect.poll(() => finance.getByTestId('batch-status').textContent()).toBe('已结清');
    await screenshot(finance, '09-finance-batch-settled');

    await finance.getByRole('link', { name: '预算执行' }).click();
    await finance.getByRole('table', { name: '预算执行明细' }).waitFor();
    const row = await finance.getByRole('row', { name: /创新创业大赛配套奖励/ }).first().textContent();
    expect(row).toContain('¥5,000.00');
    expect(row).toContain('¥10,000.00');
    // Paid 10,000 against a budget of 5,000: committed is the paid award, 剩余 is below zero.
    expect(row).toContain('-¥5,000.00（超出预算）');
    await expectAccessible(finance, 'the budget chart');
    await screenshot(finance, '10-finance-budget');
  });

  it('an admin imports a prior grant from CSV, and the enterprise quote counts it (就高不重复)', async () => {
    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    const quote = async () => {
      await clerk.getByLabel('政策项目').selectOption({ value: 'startup-capital' });
      await clerk.getByLabel('实缴注册资本（元）').fill('1000000.00');
      await clerk.getByLabel('入选日期').fill('2025-04-01');
      await clerk.getByRole('button', { name: '试算' }).click();
      await clerk.getByTestId('quote-amount').waitFor();
      return clerk.getByTestId('quote-amount').textContent();
    };
    expect(await quote()).toBe('¥500,000.00');

    const admin = await signIn({ role: '系统管理员', sub: 'admin-1' });
    await admin.getByRole('link', { name: '台账导入' }).click();
    const header = 'grantId,subjectType,subjectId,category,period,amount,policy,grantedOn,level';
    // A bad row stops the whole file: nothing is imported until every row is right.
    await admin.getByLabel('选择 CSV 文件').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\nOLD-1,enterprise,${enterprise},startup-capital,,300000,晋城市其他科技政策,2025-06-30,municipal\nOLD-2,enterprise,NOT-A-USCC,startup-capital,,1.00,x,2025-06-30,municipal\n`),
    });
    await expect.poll(() => admin.getByRole('alert').textContent()).toContain('第 3 行 主体标识');
    await screenshot(admin, '11-admin-ledger-import-errors');
    await admin.getByLabel('选择 CSV 文件').setInputFiles({
      name: 'prior-grants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\ufeff${header}\nOLD-1,enterprise,${enterprise},startup-capital,,300000.00,晋城市其他科技政策,2025-06-30,municipal\n`),
    });
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('已导入 1 条');
    await expectAccessible(admin, 'the ledger import');
    await screenshot(admin, '12-admin-ledger-imported');

    await clerk.reload();
    // 第3条 is paid once per enterprise (POLICY.md §5.4): the earlier 300,000 ends it.
    expect(await quote()).toBe('¥0.00');
    expect(await clerk.getByText('已享受的同类支持').count()).toBe(1);
    expect(await clerk.locator('.prior-grants').textContent()).toContain('晋城市其他科技政策：¥300,000.00');
    // The deduction in words, not a ledger key.
    expect(await clerk.locator('.prior-grants').textContent()).toContain('该企业已由“晋城市其他科技政策”支持 30万元，按就高不重复');
    expect(await clerk.locator('.prior-grants').textContent()).not.toContain('startup-capital');
    await screenshot(clerk, '13-enterprise-quote-after-import');
  });

  it('a returned application is fixed and resubmitted (the masked ID number typed again), approved lower, then withdrawn', async () => {
    // Park tasks due the day they open, so that this one shows as overdue.
    const admin = await signIn({ role: '系统管理员', sub: 'admin-1' });
    await admin.getByRole('link', { name: '政策参数' }).click();
    await admin.getByLabel('参数', { exact: true }).selectOption('review.park-prelim.days');
    await admin.getByLabel('生效日期').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
    // Review days must be above 0 (POLICY.md §5.9): a tenth of a second's worth of a day.
    await admin.getByLabel('取值').fill('0.000001');
    await admin.getByLabel('理由').fill('当日办结要求');
    await admin.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('review.park-prelim.days 自');

    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    await clerk.getByLabel('政策项目').selectOption({ value: 'talent-living-allowance' });
    await clerk.getByLabel('身份证号码').fill(idNumber);
    await clerk.getByLabel('姓名').fill('赵博士');
    await clerk.getByLabel('学历学位', { exact: true }).selectOption({ label: '博士' });
    await clerk.getByLabel('入职日期').fill('2024-12-10');
    await clerk.getByLabel('劳动合同年限（年）').fill('5');
    await clerk.getByLabel('本地社保缴纳月数').fill('12');
    await clerk.getByLabel('全职').check();
    for (const [i, month] of ['2025-01', '2025-02', '2025-03'].entries()) {
      await clerk.getByRole('button', { name: '添加申请月份' }).click();
      await clerk.getByLabel(`申请月份 第 ${i + 1} 项`, { exact: true }).fill(month);
    }
    await clerk.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => clerk.getByTestId('quote-amount').textContent()).toBe('¥15,000.00');
    await clerk.getByRole('button', { name: '提交申请' }).click();
    await clerk.getByText('申请已提交').waitFor();
    const id = /#\/applications\/([0-9A-Z]{26})/.exec(clerk.url())![1]!;
    // The ID number is never shown again in full.
    expect(await clerk.locator('main').textContent()).not.toContain(idNumber);

    const park = await signIn({ role: '审核人员', dept: '园区', sub: 'park-2' });
    const row = park.getByRole('row', { name: new RegExp(id) });
    await refreshUntil(park, async () => (await row.count()) > 0, 'the park task');
    expect(await row.getAttribute('class')).toBe('overdue');
    expect(await row.textContent()).toContain('已逾期');
    await screenshot(park, '16-reviewer-overdue-task');
    await park.getByRole('link', { name: `办理 ${id}` }).click();
    await park.getByRole('radio', { name: '退回补正' }).check();
    await park.getByRole('button', { name: '提交审核意见' }).click();
    // A return needs a comment: the reviewer is told before anything is sent.
    await expect.poll(() => park.getByRole('alert').textContent()).toContain('退回或不予通过须填写意见');
    await park.getByLabel('意见（必填）').fill('请只申报已缴社保的月份（2025-03 尚未缴纳）');
    await park.getByRole('button', { name: '提交审核意见' }).click();
    await park.getByText('已提交：退回补正').waitFor();

    await clerk.goto(`${stack.url}/#/applications/${id}`);
    await refreshUntil(clerk, async () => (await clerk.getByRole('heading', { name: /退回补正/ }).count()) > 0, 'RETURNED');
    expect(await clerk.getByRole('note').textContent()).toContain('请只申报已缴社保的月份');
    expect(await clerk.getByLabel('身份证号码').inputValue()).toBe('');
    await screenshot(clerk, '17-enterprise-returned');
    await clerk.getByRole('button', { name: '重新提交' }).click();
    await expect.poll(() => clerk.getByRole('alert').textContent()).toContain('人才信息 · 身份证号码');
    await clerk.getByLabel('身份证号码').fill(idNumber);
    await clerk.getByRole('button', { name: '删除申请月份 第 3 项' }).click();
    await clerk.getByRole('button', { name: '重新提交' }).click();
    await refreshUntil(clerk, async () => (await clerk.getByRole('heading', { name: /审核中/ }).count()) > 0, 'IN_REVIEW again');
    // The trail reloads after the application does.
    await expect.poll(() => clerk.getByRole('list', { name: '办理记录' }).textContent()).toContain('重新提交');

    await park.getByRole('link', { name: '待办任务' }).click();
    await refreshUntil(park, async () => (await row.count()) > 0, 'the task after resubmission');
    await park.getByRole('link', { name: `办理 ${id}` }).click();
    await expect.poll(() => park.getByTestId('quote-amount').textContent()).toBe('¥10,000.00');
    // Only the department stage may lower an amount (POLICY.md §5.10): the park is not offered 核减.
    expect(await park.getByLabel(/核减金额/).count()).toBe(0);
    await park.getByRole('button', { name: '提交审核意见' }).click();
    await park.getByText('已提交：通过').waitFor();

    await refreshUntil(clerk, async () => (await clerk.getByText('主管部门审核').count()) > 0, 'DEPT_REVIEW');
    await clerk.getByRole('button', { name: '撤回申请' }).click();
    await clerk.getByLabel('撤回原因').fill('人才已离职');
    await clerk.getByRole('button', { name: '确认撤回' }).click();
    await refreshUntil(clerk, async () => (await clerk.getByRole('heading', { name: /已撤回/ }).count()) > 0, 'WITHDRAWN');
    await expect.poll(() => clerk.getByRole('list', { name: '办理记录' }).textContent()).toContain('原因：人才已离职');
    expect(await clerk.getByRole('list', { name: '办理记录' }).textContent()).toContain('¥10,000.00');
    await screenshot(clerk, '18-enterprise-withdrawn');
  });

  it('an admin lists a person as 严重失信; the list shows the ID number masked, and the person’s quote is refused', async () => {
    const admin = await signIn({ role: '系统管理员', sub: 'admin-1' });
    await admin.getByRole('link', { name: '失信限制' }).click();
    await admin.getByLabel('主体类型').selectOption('person');
    await admin.getByLabel('身份证号码').fill(idNumber);
    await admin.getByLabel('列入日期').fill('2026-01-15');
    await admin.getByLabel('依据').fill('晋城市信用信息平台通报');
    await admin.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => admin.getByRole('status').textContent()).toContain('列入失信限制');
    const listed = admin.getByRole('row', { name: /晋城市信用信息平台通报/ });
    await listed.waitFor();
    expect(await listed.textContent()).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(await admin.locator('main').textContent()).not.toContain(idNumber);
    await expectAccessible(admin, 'the credit list');
    await screenshot(admin, '19-admin-credit');

    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' });
    await clerk.getByLabel('政策项目').selectOption({ value: 'talent-introduction' });
    await clerk.getByLabel('身份证号码').fill(idNumber);
    await clerk.getByLabel('姓名').fill('赵博士');
    await clerk.getByLabel('学历学位', { exact: true }).selectOption({ label: '博士' });
    await clerk.getByLabel('入职日期').fill('2025-03-01');
    await clerk.getByLabel('劳动合同年限（年）').fill('5');
    await clerk.getByLabel('本地社保缴纳月数').fill('12');
    await clerk.getByLabel('全职').check();
    await clerk.getByLabel('人才层次').selectOption({ label: 'C 类' });
    await clerk.getByLabel('方式').selectOption({ label: '全职引进' });
    await clerk.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => clerk.getByTestId('quote-amount').textContent()).toBe('¥0.00');
    expect(await clerk.locator('.quote').textContent()).toContain('申请所涉人员列入严重失信主体名单');
    expect(await clerk.getByRole('button', { name: '提交申请' }).isDisabled()).toBe(true);
  });

  it('works on a narrow screen', async () => {
    const clerk = await signIn({ role: '企业', uscc: enterprise, sub: 'clerk-1' }, { width: 390, height: 844 });
    await expectNoHorizontalOverflow(clerk);
    await clerk.getByRole('link', { name: '我的申请' }).click();
    await clerk.getByRole('link', { name: applicationId }).waitFor();
    await expectNoHorizontalOverflow(clerk);
    // Each application is a card that fits the screen, not a row to scroll sideways.
    const card = await clerk.getByRole('row', { name: new RegExp(applicationId) }).boundingBox();
    expect(card!.width).toBeLessThanOrEqual(390);
    await expectAccessible(clerk, 'the application list on a narrow screen');
    await screenshot(clerk, '14-enterprise-narrow-list');
    await clerk.getByRole('link', { name: applicationId }).click();
    await clerk.getByRole('list', { name: '办理记录' }).waitFor();
    await expectNoHorizontalOverflow(clerk);
    await screenshot(clerk, '15-enterprise-narrow-application');
  });

  it('asked for nothing beyond its own origin', () => {
    const outside = requested.filter((url) => !url.startsWith(`${stack.url}/`) && !url.startsWith('blob:'));
    expect(requested.length).toBeGreaterThan(50);
    expect(outside).toEqual([]);
  });
});
