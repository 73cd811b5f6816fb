// The package's data, not its functions: they parse 'YYYY-MM-DD' as UTC but read it in local time, so
// west of UTC every holiday moves a day (its own tables included). The JSON was built once and is exact.
import announced from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * The official working-day calendar (工作日): weekends, public holidays and 调休 make-up working days as the
 * State Council announces them each year (国务院办公厅关于…部分节假日安排的通知). Dates are 'YYYY-MM-DD' days in
 * Asia/Shanghai. The announced years come from the `chinese-days` package; an operator may supply a year it
 * does not know yet (or correct one) as a `CalendarYear`. A date in a year neither knows throws
 * `CalendarYearUnknownError`: guessing "weekends only" would end a 公示 inside a holiday.
 */

/** One year's announcement, supplied by an operator (validated by `schemas/calendar.ts`). */
export interface CalendarYear {
  year: number;
  /** Days off (放假), weekends inside a holiday included or not. */
  holidays: readonly string[];
  /** 调休 make-up working days (weekend days that are worked). */
  workdays: readonly string[];
  /** The announcement, e.g. 国办发明电〔2026〕X号. */
  source: string;
}

export class CalendarYearUnknownError extends Error {
  override readonly name = 'CalendarYearUnknownError';
  constructor(readonly year: number) {
    super(`工作日历不含 ${year} 年的节假日安排：请按国务院办公厅当年的通知补充该年（year ${year} is not in the working-day calendar）`);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date's parts, refusing anything that is not a real calendar day. */
function parts(date: string): [number, number, number] {
  const match = DATE.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (!match || utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  }
  return [year, month, day];
}

/** The next calendar day. */
function nextDay(date: string): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}

function isWeekend(date: string): boolean {
  const [year, month, day] = parts(date);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

const HOLIDAYS: Readonly<Record<string, string>> = announced.holidays;
const WORKDAYS: Readonly<Record<string, string>> = announced.workdays;

/** The years the package has an announcement for (every announcement has holidays). */
const PACKAGE_YEARS: ReadonlySet<number> = new Set(Object.keys(HOLIDAYS).map((date) => Number(date.slice(0, 4))));

/** Whether `date` is a working day on the official calendar. */
export function isWorkingDay(date: string, years: readonly CalendarYear[] = []): boolean {
  const [year] = parts(date);
  // A date an announcement names explicitly (a December make-up day may be named in next year's).
  for (const supplied of years) {
    if (supplied.workdays.includes(date)) return true;
    if (supplied.holidays.includes(date)) return false;
  }
  // An operator's year replaces the package's year of the same number.
  if (years.some((supplied) => supplied.year === year)) return !isWeekend(date);
  if (!PACKAGE_YEARS.has(year)) throw new CalendarYearUnknownError(year);
  if (WORKDAYS[date]) return true;
  return !HOLIDAYS[date] && !isWeekend(date);
}

/** The n-th working day after `date` (n ≥ 1): the last day of a period of n working days starting the next day. */
export function addWorkingDays(date: string, n: number, years: readonly CalendarYear[] = []): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`A number of working days must be a whole number ≥ 1, not ${n}`);
  let day = date;
  for (let left = n; left > 0; ) {
    day = nextDay(day);
    if (isWorkingDay(day, years)) left -= 1;
  }
  return day;
}

/**
 * The working days after `from` up to and including `to`: 0 on the same day; so that
 * `workingDaysBetween(d, addWorkingDays(d, n)) === n` (e.g. approved on `from`, paid on `to`).
 */
export function workingDaysBetween(from: string, to: string, years: readonly CalendarYear[] = []): number {
  parts(from);
  parts(to);
  if (to < from) throw new RangeError(`The period ends (${to}) before it starts (${from})`);
  let count = 0;
  for (let day = from; day < to; ) {
    day = nextDay(day);
    if (isWorkingDay(day, years)) count += 1;
  }
  return count;
}

/**
 * The instant a period whose last day is `date` is over: 24:00 of that day in Asia/Shanghai (UTC+8, no
 * daylight saving since 1991), as an RFC 3339 timestamp a Step Functions Wait accepts. The period is open
 * while now < this instant.
 */
export function periodEndsAt(date: string): string {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day, 16)).toISOString().replace('.000Z', 'Z');
}
