import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvText, writeCsv, writeXlsx } from '../../functions/services/exports.js';
import type { BatchItem, BatchRecord } from '../../functions/store/batches.js';

/** Payloads that spreadsheets read as formulas, or that split a cell, unless the file prevents it. */
const PAYLOADS = [
  '=1+1',
  '+1+1',
  '-1+1',
  '@SUM(A1)',
  ';=1+1',
  ',=1+1',
  ' =1+1',
  '\u3000=1+1',
  '\u00a0=1+1',
  '\u200b=1+1',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  '＋1+1',
  '－1+1',
  '＠SUM(A1)',
  '\u3000＝HYPERLINK("http://evil.example","点击")',
  '=cmd|\' /C calc\'!A0',
  '晋城"引号",逗号;分号\n换行',
  '普通名称',
];

/** A spreadsheet would start a formula: after any leading spaces, a formula sign (half- or full-width). */
const startsFormula = (cell: string) => /^[=+\-@＝＋－＠]/.test(cell.replace(/^[\s\u200B-\u200D\u2060\uFEFF]+/u, '')) || /^[\t\r]/.test(cell);

const batch: BatchRecord = { batchId: 'B1', status: 'OPEN', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'f', count: PAYLOADS.length, total: '0.00', byProgram: [], version: 1 };
const items: BatchItem[] = PAYLOADS.map((payload, i) => ({
  batchId: 'B1',
  applicationId: `APP${i}`,
  uscc: '91140500MA0K00001U',
  programId: 'platform-award',
  measure: payload,
  amount: '100.00',
  payee: { name: payload, bank: payload, number: '6216600000001234567' },
}));

async function render(write: (out: PassThrough) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

async function* pages() {
  yield items;
}

describe('CSV payment file', () => {
  it('quotes every text cell and neutralises every formula start, parsed back', async () => {
    const text = (await render((out) => writeCsv(out, pages()))).toString('utf8').replace(/^\uFEFF/, '');
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    // Headers are "中文(key)": people read the Chinese, tools match the key (API.md).
    expect(parsed.data[0]).toEqual(['批次号(batchId)', '申请编号(applicationId)', '统一社会信用代码(uscc)', '收款人(payeeName)', '开户行(payeeBank)', '账号(payeeAccount)', '项目代码(programId)', '项目名称(programTitle)', '政策依据(measure)', '金额（元）(amount)']);
    const rows = parsed.data.slice(1);
    expect(rows).toHaveLength(PAYLOADS.length);
    for (const [i, payload] of PAYLOADS.entries()) {
      const [, , , name, bank, number, , title, measure, amount] = rows[i]!;
      expect(title).toBe('科技创新平台、新型研发机构、孵化载体奖励');
      for (const cell of [name, bank, measure]) {
        expect(startsFormula(cell!), JSON.stringify(cell)).toBe(false);
        // Nothing else changed: the text is the payload, behind an apostrophe where it was a formula.
        expect(cell === payload || cell === `'${payload}`, JSON.stringify(cell)).toBe(true);
      }
      expect(number).toBe('6216600000001234567');
      expect(amount).toBe('100.00');
    }
    // In the raw file every text cell is quoted, so a `;` or `,` inside never starts a cell of its own.
    const line = text.split('\r\n')[5]!;
    expect(line).toBe('"B1","APP4","91140500MA0K00001U",";=1+1",";=1+1","6216600000001234567","platform-award","科技创新平台、新型研发机构、孵化载体奖励",";=1+1",100.00');
  });

  it.each(PAYLOADS)('csvText(%j) is one quoted cell', (payload) => {
    const cell = csvText(payload);
    expect(cell.startsWith('"') && cell.endsWith('"')).toBe(true);
    expect(cell.slice(1, -1).replaceAll('""', '')).not.toContain('"');
  });
});

describe('Excel payment file', () => {
  it('writes text as string cells, unaltered, and no formula but the total', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await render((out) => writeXlsx(out, batch, pages()))) as never);
    const sheet = workbook.worksheets[0]!;
    for (const [i, payload] of PAYLOADS.entries()) {
      const row = sheet.getRow(i + 2);
      for (const column of [4, 5, 9]) {
        const cell = row.getCell(column);
        expect(cell.type, `${payload} in column ${column}`).toBe(ExcelJS.ValueType.String);
        // XML keeps no bare CR: Excel and ExcelJS read one back as LF. Otherwise the text is as stored.
        expect(cell.value).toBe(payload.replace(/\r/g, '\n'));
      }
      expect(row.getCell(8).value).toBe('科技创新平台、新型研发机构、孵化载体奖励');
      expect(row.getCell(10).value).toBe(100);
    }
    const formulas: string[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => cell.type === ExcelJS.ValueType.Formula && formulas.push(cell.address)));
    expect(formulas).toEqual([`J${PAYLOADS.length + 2}`]);
  });
});
