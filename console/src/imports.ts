import { analyse } from 'chardet';

/**
 * Files that people save from Excel: UTF-8 (with or without a BOM), or GB18030/GBK, Excel's default
 * for CSV on Chinese Windows. The encoding is detected, never assumed: anything else is refused with
 * what to do, rather than stored garbled.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'UTF-8' | 'GB18030' } {
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: ask the detector, and accept only the Chinese national encodings (GBK is a subset of GB18030).
  }
  const best = analyse(bytes)[0];
  if (best?.name === 'GB18030') return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'GB18030' };
  throw new Error(
    `无法识别文件的编码${best ? `（看起来是 ${best.name}）` : ''}，未导入任何记录。请在 Excel 中“另存为”选择“CSV UTF-8（逗号分隔）”后重新导入，或使用 Excel 模板（.xlsx 之外的文件须为 UTF-8 或 GBK 编码）。`,
  );
}

/**
 * A header cell as people write it: the key ("amount"), the Chinese label with the key in
 * parentheses ("金额(amount)", the templates' form), or the Chinese label alone ("金额").
 */
export function headerKey(cell: string, labels: Readonly<Record<string, string>>): string {
  const trimmed = cell.trim();
  const inParentheses = /[（(]\s*([A-Za-z]\w*)\s*[)）]$/.exec(trimmed)?.[1];
  if (inParentheses) return inParentheses;
  const byLabel = Object.entries(labels).find(([, label]) => label === trimmed)?.[0];
  return byLabel ?? trimmed;
}

/** A cell of a closed vocabulary: its code, or its Chinese label ("市级" → "municipal"). */
export function valueKey(cell: string, codes: readonly string[], labels: Readonly<Record<string, string>>): string {
  const trimmed = cell.trim();
  return codes.includes(trimmed) ? trimmed : (codes.find((code) => labels[code] === trimmed) ?? trimmed);
}
