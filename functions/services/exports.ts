import { createHash } from 'node:crypto';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import ExcelJS from 'exceljs';
import { yuan } from '../domain/money.js';
import { programOf } from '../domain/programs/index.js';
import { config } from '../config.js';
import type { BatchItem, BatchRecord } from '../store/batches.js';

/**
 * Export files live in S3 (the endpoint comes from the environment: AWS_ENDPOINT_URL_S3 locally).
 * Path-style URLs only for that local endpoint (s3rver); in AWS the presigned links are virtual-hosted
 * (<bucket>.s3.<region>.<suffix>), which is what the console's Content-Security-Policy allows.
 */
export const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** The columns, each with the Chinese people read: headers are "中文(key)" (API.md), so tools still match the key. */
const COLUMN_NAMES = {
  batchId: '批次号',
  applicationId: '申请编号',
  uscc: '统一社会信用代码',
  payeeName: '收款人',
  payeeBank: '开户行',
  payeeAccount: '账号',
  programId: '项目代码',
  programTitle: '项目名称',
  measure: '政策依据',
  amount: '金额（元）',
} as const;
const COLUMNS = Object.keys(COLUMN_NAMES) as (keyof typeof COLUMN_NAMES)[];
const HEADERS = COLUMNS.map((key) => `${COLUMN_NAMES[key]}(${key})`);

const row = (item: BatchItem) => [
  item.batchId,
  item.applicationId,
  item.uscc,
  item.payee.name,
  item.payee.bank,
  item.payee.number,
  item.programId,
  programOf(item.programId).title,
  item.measure,
  item.amount,
];

/** What a spreadsheet may read as the start of a formula, in half- and full-width forms (＝＋－＠). */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** Spaces (any Unicode space, U+3000 included) and invisible characters a spreadsheet may skip first. */
const LEADING_BLANKS = /^[\s\u200B-\u200D\u2060\uFEFF]+/u;

/**
 * A text cell of the CSV file: always quoted (so `;` or `,` never split it, whatever separator the
 * reader assumes), and prefixed with an apostrophe when it would start a formula once leading spaces
 * are skipped (CSV injection).
 */
export function csvText(value: string): string {
  const formula = FORMULA_START.test(value) || FORMULA_START.test(value.replace(LEADING_BLANKS, ''));
  return `"${(formula ? `'${value}` : value).replaceAll('"', '""')}"`;
}

/** One CSV line: text cells quoted; the amount (a validated decimal string) as a bare number. */
export const csvLine = (values: string[]) => `${values.map((value, i) => (COLUMNS[i] === 'amount' ? value : csvText(value))).join(',')}\r\n`;

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type ExportFormat = keyof typeof CONTENT_TYPES;

export interface StoredExport {
  key: string;
  sha256: string;
  bytes: number;
}

/**
 * Writes a batch's payment file to S3 as it is generated, page by page: neither the items nor the file
 * are held in memory whole, so a batch of 100,000 items exports in bounded memory. The SHA-256 is
 * computed on the same stream.
 */
export async function writeExport(batch: BatchRecord, format: ExportFormat, items: AsyncIterable<BatchItem[]>): Promise<StoredExport> {
  const key = `batches/${batch.batchId}/payments-${batch.batchId}.${format}`;
  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const body = new PassThrough();
  const upload = new Upload({ client: s3, params: { Bucket: config.exportsBucket, Key: key, Body: body, ContentType: CONTENT_TYPES[format] } });
  const uploaded = upload.done();
  const source = new PassThrough();
  const piped = pipeline(source, measure, body);

  if (format === 'csv') await writeCsv(source, items);
  else await writeXlsx(source, batch, items);

  await piped;
  await uploaded;
  return { key, sha256: hash.digest('hex'), bytes };
}

export async function writeCsv(out: PassThrough, items: AsyncIterable<BatchItem[]>): Promise<void> {
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  // UTF-8 with BOM, so that Excel opens Chinese names correctly.
  await write(`\uFEFF${HEADERS.join(',')}\r\n`);
  for await (const page of items) {
    await write(page.map((item) => csvLine(row(item))).join(''));
  }
  out.end();
}

/**
 * The Excel file. Text is written as string cells exactly as stored: a string cell is never evaluated
 * as a formula, so names need no guard (and are not altered). The only formula is the total.
 */
export async function writeXlsx(out: PassThrough, batch: BatchRecord, items: AsyncIterable<BatchItem[]>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(`批次 ${batch.batchId}`.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((key, i) => ({ header: HEADERS[i], key, width: key === 'amount' ? 18 : 24 }));
  sheet.getColumn('amount').numFmt = '#,##0.00';
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let last = 1;
  for await (const page of items) {
    for (const item of page) {
      const values = row(item).map((value, i) => (COLUMNS[i] === 'amount' ? yuan(value).toNumber() : String(value)));
      sheet.addRow(values).commit();
      last++;
    }
  }
  const amountColumn = String.fromCharCode(64 + COLUMNS.length); // the last column: J
  const totals = sheet.addRow([
    '合计',
    ...COLUMNS.slice(1, -2).map(() => ''),
    `${batch.count} 笔`,
    { formula: `SUM(${amountColumn}2:${amountColumn}${last})`, result: yuan(batch.total).toNumber() },
  ]);
  totals.font = { bold: true };
  totals.commit();
  sheet.commit();
  await workbook.commit();
}

/** A link to download a stored export, valid for a few minutes. */
export function downloadUrl(key: string): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: config.exportsBucket, Key: key }), { expiresIn: 300 });
}

/** A stored export read back whole (only for files small enough to answer inline). */
export async function readExport(key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: config.exportsBucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

