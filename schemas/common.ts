import { z } from 'zod';
import { VALUE_LABELS } from '../functions/domain/labels.js';
import { isValidUscc, residentIdProblem } from '../functions/domain/identity.js';
import { MONEY_PATTERN } from '../functions/domain/money.js';

// Users read these messages (the API's issues, the console's forms): zod's own ones in Chinese too,
// and a missing field said plainly. A schema's own message still wins over both.
z.config(z.locales.zhCN());
z.config({
  customError: (issue) => {
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return '此项为必填';
    // A choice is named by its labels, never by the API's codes ("national-key-lab").
    if (issue.code === 'invalid_value') {
      const labels = issue.values.map((value) => VALUE_LABELS[String(value)] ?? (typeof value === 'number' ? String(value) : undefined));
      return labels.every((label) => label !== undefined) ? `请从以下选项中选择：${labels.join('、')}` : '请从给定的选项中选择';
    }
    return undefined;
  },
});

/** Yuan as a decimal string with at most two decimals; a JSON number is refused (binary floats lose fen). */
export const Money = z
  // Said in words a clerk knows: 金额, not 字符串 (API clients read the OpenAPI type).
  .string({ error: (issue) => (issue.input === undefined ? '此项为必填' : '请填写金额（以元为单位），例如 123456.78') })
  .regex(MONEY_PATTERN, { error: '金额应以元为单位，最多两位小数，例如 123456.78' })
  .meta({ id: 'Money', description: 'Yuan (CNY) as a decimal string, at most 2 decimals', example: '500000.00' });

function isRealDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 YYYY-MM-DD' })
  .refine(isRealDate, { error: '不存在的日期' })
  .meta({ id: 'Date', example: '2025-03-01' });

export const Uscc = z
  .string()
  .refine(isValidUscc, { error: '统一社会信用代码无效（GB 32100-2015 校验失败）' })
  .meta({ id: 'Uscc', description: '统一社会信用代码 (GB 32100-2015)', example: '91140500MA0KXXXX0X' });

const RESIDENT_ID_MESSAGES = {
  format: '身份证号码应为17位数字加1位校验码',
  'birth-date': '身份证号码中的出生日期无效',
  'check-digit': '身份证号码校验码错误（GB 11643-1999）',
} as const;

export const ResidentId = z
  .string()
  .superRefine((value, ctx) => {
    const problem = residentIdProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: RESIDENT_ID_MESSAGES[problem] });
  })
  .meta({ id: 'ResidentId', description: '居民身份证号码 (GB 11643-1999); masked in every response' });

/** Ids this system issues: ULIDs. */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: '无效的编号' });

/** 18 characters shaped like a resident ID number, not part of a longer run of digits. */
const RESIDENT_ID_SHAPE = /(?<![0-9])[0-9]{17}[0-9X](?![0-9])/g;

/**
 * Whether free text carries a resident ID number (a valid GB 11643 number, full-width digits included).
 * Only the dedicated ID fields are masked and keyed; one typed elsewhere would be stored in clear.
 */
export function containsResidentId(text: string): boolean {
  for (const [candidate] of text.normalize('NFKC').toUpperCase().matchAll(RESIDENT_ID_SHAPE)) {
    if (!residentIdProblem(candidate)) return true;
  }
  return false;
}

/** Every free-text string of the API: refused if it carries a resident ID number. */
export const FreeText = z.string().refine((value) => !containsResidentId(value), {
  error: '此处不能填写身份证号码：身份证号码只能填在专门的身份证号码字段中（系统只保存其掩码）',
});

/** Short free text: trimmed of nothing, but bounded, and normalised to NFC so that names compare equal. */
export const Text = (max: number) =>
  FreeText.min(1, { error: '不能为空' })
    .max(max, { error: `不能超过 ${max} 个字符` })
    .transform((value) => value.normalize('NFC'));

export const Identifier = FreeText.min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}._\-/]*$/u, { error: '编号只能包含字母、数字和 . _ - /' });
