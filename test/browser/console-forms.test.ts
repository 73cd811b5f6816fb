import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProgramApplication } from '../../schemas/programs.js';
import { PROGRAM_IDS } from '../../functions/domain/vocabulary.js';
import { residentId, uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { LocalStackProcess } from '../support/local-stack.js';

type Schema = {
  $ref?: string;
  const?: unknown;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  $defs?: Record<string, Schema>;
};

/** The DOM id the console gives a field's input (its error summary links to it). */
const fieldId = (path: string) => `f-${path.replace(/[^\w]+/g, '-')}`;

/**
 * Walks a program's JSON Schema (the one the API publishes) against the form the calculator renders:
 * every property, required or optional, every option of a union and every array's item has its own
 * labelled control. Returns the paths it checked.
 */
async function walk(page: Page, schema: Schema, defs: Record<string, Schema>, path: string, required: boolean): Promise<string[]> {
  while (schema.$ref) schema = defs[schema.$ref.replace('#/$defs/', '')]!;
  if (schema.const !== undefined && required) return []; // a union's tag: chosen by its select
  const options = schema.oneOf ?? schema.anyOf;
  if (options && options.every((o) => (o.$ref ? defs[o.$ref.replace('#/$defs/', '')]! : o).type === 'object')) {
    const resolved = options.map((o) => (o.$ref ? defs[o.$ref.replace('#/$defs/', '')]! : o));
    const tag = Object.keys(resolved[0]!.properties!).find((key) => resolved.every((o) => o.properties?.[key]?.const !== undefined))!;
    const seen = [await expectLabelled(page, `${path}.${tag}`)];
    for (const option of resolved) {
      await page.locator(`#${fieldId(`${path}.${tag}`)}`).selectOption({ value: String(option.properties![tag]!.const) });
      seen.push(...(await walk(page, option, defs, path, true)));
    }
    return seen;
  }
  if (schema.type === 'object') {
    const seen: string[] = [];
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      seen.push(...(await walk(page, property, defs, `${path}.${key}`, schema.required?.includes(key) ?? false)));
    }
    return seen;
  }
  if (schema.type === 'array') {
    const group = page.locator(`#${fieldId(path)}`);
    await group.locator(':scope > button').click();
    return [path, ...(await walk(page, schema.items ?? {}, defs, `${path}.0`, true))];
  }
  return [await expectLabelled(page, path)];
}

/** A control with this path's id and a Chinese label (no property name shown to the user). */
async function expectLabelled(page: Page, path: string): Promise<string> {
  const control = page.locator(`#${fieldId(path)}`);
  expect(await control.count(), `a control for ${path}`).toBe(1);
  const label = await page.locator(`label[for="${fieldId(path)}"]`).textContent();
  expect(label, `the label of ${path}`).toMatch(/[\u4e00-\u9fff]/);
  expect(label, `the label of ${path}`).not.toMatch(/[A-Za-z]{3,}/);
  return path;
}

describe.skipIf(chromiumMissing)('the calculator’s forms', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  let browser: Browser;

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('every field of every program’s schema, optional ones too, reaches its form', async () => {
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: uscc(601), sub: 'clerk-forms' });
    const details = new Map(ProgramApplication.options.map((option) => [option.shape.programId.value as string, option.shape.details as z.ZodType]));
    expect([...details.keys()].sort()).toEqual([...PROGRAM_IDS].sort());
    for (const programId of PROGRAM_IDS) {
      const schema = z.toJSONSchema(details.get(programId)!, { io: 'input', unrepresentable: 'any' }) as Schema;
      await page.getByLabel('政策项目').selectOption({ value: programId });
      const seen = await walk(page, schema, schema.$defs ?? {}, 'details', true);
      expect(seen.length, programId).toBeGreaterThan(1);
    }
  });

  it('a refusal says why and what to do next (an enterprise not yet on the roster)', async () => {
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: uscc(603), sub: 'clerk-unlisted' });
    await page.getByLabel('政策项目').selectOption({ value: 'startup-capital' });
    await page.getByLabel('实缴注册资本（元）').fill('1000000.00');
    await page.getByLabel('入选日期').fill('2025-04-01');
    await page.getByRole('button', { name: '试算' }).click();
    await expect.poll(() => page.getByTestId('quote-amount').textContent()).toBe('¥0.00');
    const quote = await page.locator('.quote').textContent();
    expect(quote).toContain('因下列原因本次不予支持');
    expect(quote).toContain('不在“晋创谷·晋城”入驻主体名录中');
    expect(quote).toContain('下一步：请联系所在园区，将企业登记到“晋创谷·晋城”入驻主体名录后再试算或申请。');
    expect(quote).not.toContain('不符合条件：');
    await expectAccessible(page, 'a refused quote with its next step');
    await screenshot(page, '26-enterprise-quote-next-step');
  });

  it('an A 类 top talent can claim the housing purchase subsidy (the optional 人才层次)', async () => {
    const admin = await stack.as({ sub: 'admin-forms', role: 'admin' });
    const roster = { name: '晋城安居科技有限公司', joinedOn: '2025-01-10', bankAccount: { name: '晋城安居科技有限公司', bank: '中国银行晋城分行', number: '6216600000001111222' } };
    expect((await admin.put(`/registry/${uscc(602)}`, roster)).status).toBe(200);
    const { page } = await signIn(browser, stack.url, { role: '企业', uscc: uscc(602), sub: 'clerk-housing' });
    await page.getByLabel('政策项目').selectOption({ value: 'talent-housing' });
    await page.getByLabel('身份证号码').fill(residentId('14052519930101234'));
    await page.getByLabel('姓名').fill('钱院士');
    await page.getByLabel('学历学位', { exact: true }).selectOption({ label: '博士' });
    await page.getByLabel('入职日期').fill('2025-03-01');
    await page.getByLabel('劳动合同年限（年）').fill('5');
    await page.getByLabel('本地社保缴纳月数').fill('12');
    await page.getByLabel('全职').check();
    await page.getByLabel('人才层次').selectOption({ label: 'A 类' });
    await page.getByLabel('购房合同日期').fill('2025-06-01');
    await page.getByLabel('购房合同编号').fill('GF-2025-001');
    await page.getByRole('button', { name: '试算' }).click();
    // 第14条: 350,000 for an A 类 top talent, where a doctor alone would get 200,000.
    await expect.poll(() => page.getByTestId('quote-amount').textContent()).toBe('¥350,000.00');
    await expectAccessible(page, 'the housing form with its quote');
    await screenshot(page, '20-enterprise-housing-tier-a');
  });
});
