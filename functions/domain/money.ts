import { Decimal } from 'decimal.js';

/** Decimal for yuan: full precision while computing, 四舍五入 (half-up) when a line is rounded to the fen. */
export const Yuan = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Yuan = InstanceType<typeof Yuan>;

export const ZERO = new Yuan(0);

/** The contract's money format: up to 13 integer digits and at most 2 decimals. */
export const MONEY_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;

export function yuan(value: string | number | Yuan): Yuan {
  return new Yuan(value);
}

/** Rounds to 0.01 yuan, half-up. */
export function toFen(value: Yuan): Yuan {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The wire format: always two decimals, e.g. "500000.00". */
export function formatYuan(value: Yuan): string {
  return toFen(value).toFixed(2);
}

export function minYuan(...values: Yuan[]): Yuan {
  return Yuan.min(...values);
}

export function maxYuan(...values: Yuan[]): Yuan {
  return Yuan.max(...values);
}

export function sumYuan(values: Iterable<Yuan>): Yuan {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}
