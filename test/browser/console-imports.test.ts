import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uscc } from '../support/fixtures.js';
import { chromiumMissing, expectAccessible, launchBrowser, screenshot } from '../support/browser.js';
import { signIn } from '../support/console-session.js';
import { LocalStackProcess } from '../support/local-stack.js';

/** A ledger file as Excel on Chinese Windows saves it: GBK, Chinese headers and values. */
describe.skipIf(chromiumMissing)('ledger imports that survive Excel', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  const enterprise = uscc(901);
  let browser: Browser;

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    const admin = await stack.as({ sub: 'admin-imports', role: 'admin' });
    const bankAccount = { name: '晋城导入示例有限公司', bank: '中国银行晋城分行', number: '6216600000004445556' };
    expect((await admin.put(`/registry/${enterprise}`, { name: '晋城导入示例有限公司', joinedOn: '2025-01-10', bankAccount })).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('a GBK CSV with Chinese headers is read as GBK, and the enterprise’s quote names the policy correctly', async () => {
    const { page } = await signIn(browser, stack.url, { role: '系统管理员', sub: 'admin-imports' });
    await page.getByRole('link', { name: '台账导入' }).click();
    // Excel's "CSV（逗号分隔）" on Chinese Windows writes GBK: no BOM, not UTF-8.
    const csv = `记录编号(grantId),主体类型,主体标识(subjectId),支持类别(category),期间(period),金额(amount),政策名称(policy),发放日期(grantedOn),支持级别(level)\r\nOLD-GBK-1,企业,${enterprise},startup-capital,,300000.00,晋城市其他科技政策,2025-06-30,市级\r\n`;
    await page.getByLabel('选择 CSV 文件').setInputFiles({ name: 'prior-grants-gbk.csv', mimeType: 'text/csv', buffer: gbk(csv) });
    await page.getByText('已导入 1 条').waitFor();
    expect(await page.getByRole('row', { name: /OLD-GBK-1/ }).textContent()).toContain('已导入');
    await expectAccessible(page, 'the GBK import');
    await screenshot(page, '25-admin-ledger-import-gbk');

    // A UTF-16 file is refused, with what to do.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.replace('OLD-GBK-1', 'OLD-U16-1'), 'utf16le')]);
    await page.getByLabel('选择 CSV 文件').setInputFiles({ name: 'unicode.csv', mimeType: 'text/csv', buffer: utf16 });
    await page.getByRole('alert').getByText(/CSV UTF-8（逗号分隔）/).waitFor();

    const clerk = await stack.as({ sub: 'clerk-imports', role: 'enterprise', uscc: enterprise });
    const quote = await clerk.post('/quotes', { programId: 'startup-capital', details: { paidInCapital: '1000000.00', selectedOn: '2025-04-01' } });
    expect(quote.body.priorGrants.map((g: { policy: string }) => g.policy)).toEqual(['晋城市其他科技政策']);
    expect(quote.body.amount).toBe('0.00');
  });
});

/** GBK codes of the characters the test writes (from Python's gbk codec): Node decodes GBK but cannot encode it. */
const GBK: Record<string, string> = { '记': 'bcc7', '录': 'c2bc', '编': 'b1e0', '号': 'bac5', '主': 'd6f7', '体': 'cce5', '类': 'c0e0', '型': 'd0cd', '标': 'b1ea', '识': 'cab6', '支': 'd6a7', '持': 'b3d6', '别': 'b1f0', '期': 'c6da', '间': 'bce4', '金': 'bdf0', '额': 'b6ee', '政': 'd5fe', '策': 'b2df', '名': 'c3fb', '称': 'b3c6', '发': 'b7a2', '放': 'b7c5', '日': 'c8d5', '级': 'bcb6', '企': 'c6f3', '业': 'd2b5', '晋': 'bdfa', '城': 'b3c7', '市': 'cad0', '其': 'c6e4', '他': 'cbfb', '科': 'bfc6', '技': 'bcbc' };

/** The text as GBK bytes. */
function gbk(text: string): Buffer {
  const parts: Buffer[] = [];
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) parts.push(Buffer.from(char, 'latin1'));
    else {
      const code = GBK[char];
      if (!code) throw new Error(`no GBK code for ${char} in the test's table`);
      parts.push(Buffer.from(code, 'hex'));
    }
  }
  return Buffer.concat(parts);
}
