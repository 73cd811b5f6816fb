import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, expectNoHorizontalOverflow, identifierLikeTokens, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { LocalStackProcess, eventually } from '../support/local-stack.js';

/** Reviewers, finance and admins recognise who and what a row is about: the enterprise's name beside its code, and the project. */
describe.skipIf(chromiumMissing)('names in the console', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  const first = { uscc: uscc(701), name: '晋城名称一号科技有限公司' };
  const second = { uscc: uscc(702), name: '晋城名称二号材料有限公司' };
  const applications: Record<string, string> = {};
  let browser: Browser;

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    const admin = await stack.as({ sub: 'admin-names', role: 'admin' });
    for (const [i, enterprise] of [first, second].entries()) {
      const bankAccount = { name: enterprise.name, bank: '中国银行晋城分行', number: `62166000000012340${i}` };
      expect((await admin.put(`/registry/${enterprise.uscc}`, { name: enterprise.name, joinedOn: '2025-01-10', bankAccount })).status).toBe(200);
      const clerk = await stack.as({ sub: `clerk-${i}`, role: 'enterprise', uscc: enterprise.uscc });
      const details = { projectId: `NM-${i}`, projectName: `矿山巡检机器人${i + 1}号`, awardedOn: '2025-06-01', level: 'shanxi', rank: 3 };
      const created = await clerk.post('/applications', { programId: 'competition-award', details }, { 'idempotency-key': `names-application-${i}` });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      applications[enterprise.uscc] = created.body.id;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('the enterprise sees its own name in the header and the project in its list', async () => {
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: first.uscc, sub: 'clerk-0' });
    await expect.poll(() => page.locator('header .who').textContent()).toContain(`${first.name} ${first.uscc}`);
    await page.getByRole('link', { name: '我的申请' }).click();
    const row = page.getByRole('row', { name: new RegExp(applications[first.uscc]!) });
    await row.waitFor();
    expect(await row.textContent()).toContain('矿山巡检机器人1号');
  });

  it('the park’s task list and task page name the enterprise and the project', async () => {
    const park = await stack.as({ sub: 'park-names', role: 'reviewer', dept: 'park' });
    await eventually(async () => ((await park.get('/tasks')).body.items.length === 2 ? true : undefined), 'both park tasks');
    const { page } = await signIn(browser, stack.url, { role: '审核人员', dept: '园区', sub: 'park-names' });
    const row = page.getByRole('row', { name: new RegExp(applications[second.uscc]!) });
    await row.waitFor();
    expect(await row.textContent()).toContain(`${second.name} ${second.uscc}`);
    expect(await row.textContent()).toContain('矿山巡检机器人2号');
    await expectAccessible(page, 'the task list with names');
    await screenshot(page, '21-reviewer-tasks-with-names');
    await page.getByRole('link', { name: `办理 ${applications[second.uscc]}` }).click();
    await expect.poll(() => page.locator('dl.summary').textContent()).toContain(second.name);
  });

  it('申请查询 finds applications by enterprise name or code and by application number', async () => {
    const { page } = await signIn(browser, stack.url, { role: '系统管理员', sub: 'admin-names' });
    await page.getByRole('link', { name: '申请查询' }).click();
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const search = async (fields: { enterprise?: string; id?: string }) => {
      await page.getByLabel('企业（名称或统一社会信用代码）').fill(fields.enterprise ?? '');
      await page.getByRole('textbox', { name: '申请编号' }).fill(fields.id ?? '');
      await page.getByRole('button', { name: '查询' }).click();
    };
    await search({ enterprise: '二号材料' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(second.name);
    await search({ enterprise: first.uscc });
    await expect.poll(async () => (await rows.count()) === 1 && (await rows.first().textContent())?.includes(first.name)).toBe(true);
    await search({ id: applications[second.uscc]!.toLowerCase() });
    await expect.poll(async () => (await rows.count()) === 1 && (await rows.first().textContent())?.includes(applications[second.uscc]!)).toBe(true);
    // Both enterprises' names contain “晋城名称”: the filter asks for more rather than guessing.
    await search({ enterprise: '晋城名称' });
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请输入完整名称或统一社会信用代码');
    await search({ enterprise: '不存在的企业' });
    await page.getByText('暂无申请。').waitFor();
    await expectAccessible(page, 'the application search');
    await screenshot(page, '22-admin-application-search');
  });

  it('the search fits a narrow screen', async () => {
    const { page } = await signIn(browser, stack.url, { role: '系统管理员', sub: 'admin-narrow' }, { width: 390, height: 844 });
    await page.getByRole('link', { name: '申请查询' }).click();
    await page.locator('tbody tr').first().waitFor();
    await expectNoHorizontalOverflow(page);
  });

  it('no page an enterprise or a reviewer visits shows an English code or a property path', async () => {
    // The users' own names are allowed.
    const users = new Set(['clerk-0', 'park-names', 'admin-names']);
    const offending = (page: Page, where: string) => identifierLikeTokens(page, where, users);
    const found: string[] = [];
    const { page: clerk } = await signIn(browser, stack.url, { role: '企业', uscc: first.uscc, sub: 'clerk-0' });
    for (const programId of ['competition-award', 'talent-housing', 'tech-transaction', 'platform-award', 'entrepreneurship']) {
      await clerk.getByLabel('政策项目').selectOption({ value: programId });
      await clerk.getByRole('button', { name: '试算' }).click();
      await clerk.getByRole('alert').waitFor();
      found.push(...(await offending(clerk, `calculator ${programId} with errors`)));
    }
    await clerk.getByRole('link', { name: '我的申请' }).click();
    await clerk.getByRole('link', { name: applications[first.uscc]! }).click();
    await clerk.getByRole('list', { name: '办理记录' }).waitFor();
    found.push(...(await offending(clerk, 'application page')));
    const { page: park } = await signIn(browser, stack.url, { role: '审核人员', dept: '园区', sub: 'park-names' });
    await park.getByRole('row', { name: new RegExp(applications[first.uscc]!) }).waitFor();
    found.push(...(await offending(park, 'task list')));
    await park.getByRole('link', { name: `办理 ${applications[first.uscc]}` }).click();
    await park.getByRole('list', { name: '办理记录' }).waitFor();
    found.push(...(await offending(park, 'task page')));
    expect(found).toEqual([]);
  });

  it('a malformed application number is a 400 naming the field, not a 500', async () => {
    const admin = await stack.as({ sub: 'admin-names', role: 'admin' });
    const response = await admin.get('/applications?id=not-an-id');
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].path).toBe('query.id');
    const clerk = await stack.as({ sub: 'clerk-0', role: 'enterprise', uscc: first.uscc });
    // An enterprise sees its own applications only: another's number finds nothing.
    expect((await clerk.get(`/applications?id=${applications[second.uscc]}`)).body.items).toEqual([]);
  });
});
