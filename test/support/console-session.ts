import type { Browser, BrowserContext, Page } from 'playwright-core';

export type ConsoleRole = '企业' | '审核人员' | '财务' | '系统管理员';

/**
 * Signs in through the console's local role picker, in a browser context of its own (one person each).
 * Any script error on the page fails the test.
 */
export async function signIn(
  browser: Browser,
  url: string,
  as: { role: ConsoleRole; uscc?: string; dept?: string; sub: string },
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  await page.getByRole('radio', { name: as.role, exact: true }).check();
  if (as.uscc) await page.getByLabel('统一社会信用代码').fill(as.uscc);
  if (as.dept) await page.getByLabel('所属部门').selectOption({ label: as.dept });
  await page.getByLabel('用户名').fill(as.sub);
  await page.getByLabel('用户名').press('Enter');
  await page.getByRole('button', { name: '退出' }).waitFor();
  return { page, context };
}
