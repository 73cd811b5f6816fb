import { Decimal } from 'decimal.js';

/** Yuan stay decimal strings from the API to the screen; sums are decimal.js, never binary floats. */
export function sumYuan(amounts: readonly string[]): string {
  return amounts.reduce((total, amount) => total.plus(amount), new Decimal(0)).toFixed(2);
}

export function formatYuan(amount: string | undefined): string {
  if (amount === undefined) return '—';
  const value = new Decimal(amount);
  const [whole, fraction] = value.abs().toFixed(2).split('.') as [string, string];
  return `${value.isNegative() ? '-' : ''}¥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

/** Share of a whole, for charts: a plain number is fine here, it only sets a bar's width. */
export function share(part: string, whole: string): number {
  const total = new Decimal(whole);
  return total.isZero() ? 0 : Math.min(1, new Decimal(part).div(total).toNumber());
}

export const isLess = (a: string, b: string) => new Decimal(a).lessThan(b);

/**
 * Yuan as people type them: "1,234.50", "1，234.5", "¥500000", "200万", "1.5 万元". Answers the API's form
 * ("2000000.00"), or undefined where the text is no amount (the schema's check then says why).
 */
export function parseYuan(text: string): string | undefined {
  const cleaned = text.replace(/[\s,，¥￥]/g, '').replace(/元$/, '');
  const match = /^(\d+(?:\.\d+)?)(万)?$/.exec(cleaned);
  if (!match) return undefined;
  const value = new Decimal(match[1]!).times(match[2] ? 10_000 : 1);
  // More than two decimals is not a sum in yuan: leave it to the schema to refuse, never round silently.
  return value.decimalPlaces() > 2 ? undefined : value.toFixed(2);
}
