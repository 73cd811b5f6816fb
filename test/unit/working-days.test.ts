import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../functions/domain/dates.js';
import { DEFAULT_PARAMETERS, parameterValueProblem } from '../../functions/domain/parameter-defaults.js';
import {
  CalendarYearUnknownError,
  addWorkingDays,
  isWorkingDay,
  periodEndsAt,
  workingDaysBetween,
} from '../../functions/domain/working-days.js';
import { CalendarYear, CalendarYears } from '../../schemas/calendar.js';

/** Every day from `from` to `to`, inclusive. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

// A made-up 2027 announcement: what an operator would enter once the State Council publishes the real one.
const YEAR_2027 = {
  year: 2027,
  holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
  workdays: ['2027-02-13'],
  source: '国办发明电〔2026〕99号（测试）',
};

describe('the announced calendar (chinese-days)', () => {
  it('National Day 2025: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 worked', () => {
    for (const day of days('2025-10-01', '2025-10-08')) expect(isWorkingDay(day), day).toBe(false);
    expect(isWorkingDay('2025-09-28')).toBe(true);
    expect(isWorkingDay('2025-10-11')).toBe(true);
    expect(isWorkingDay('2025-09-27')).toBe(false);
    expect(isWorkingDay('2025-10-09')).toBe(true);
  });

  it('Spring Festival 2026: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked', () => {
    for (const day of days('2026-02-15', '2026-02-23')) expect(isWorkingDay(day), day).toBe(false);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-02-24')).toBe(true);
  });

  it('New Year 2026: Jan 1–3 off, Sunday Jan 4 worked', () => {
    for (const day of days('2026-01-01', '2026-01-03')) expect(isWorkingDay(day), day).toBe(false);
    expect(isWorkingDay('2026-01-04')).toBe(true);
  });

  it('an ordinary week: Saturday and Sunday off, Monday to Friday worked', () => {
    expect(days('2025-11-15', '2025-11-21').map((day) => isWorkingDay(day))).toEqual([false, false, true, true, true, true, true]);
  });

  it('5 working days from the Friday before National Day 2025 run through the make-up Sunday and over the holiday', () => {
    // Sep 28 (Sun, worked), 29, 30, then Oct 9, 10.
    expect(addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
    expect(workingDaysBetween('2025-09-26', '2025-10-10')).toBe(5);
    // From the last day before the holiday the make-up Saturday Oct 11 counts.
    expect(addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
  });

  it('5 working days from the Friday before Spring Festival 2026 count the make-up Saturday Feb 14', () => {
    // Feb 14 (Sat, worked), then Feb 24, 25, 26, 27.
    expect(addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
  });

  it('counts working days after `from` up to and including `to`', () => {
    expect(workingDaysBetween('2025-11-17', '2025-11-17')).toBe(0);
    expect(workingDaysBetween('2025-11-14', '2025-11-17')).toBe(1);
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    // Inverse of addWorkingDays, across both holidays.
    for (const start of ['2025-09-26', '2026-02-10', '2025-12-31']) {
      for (const n of [1, 5, 20]) expect(workingDaysBetween(start, addWorkingDays(start, n)), `${start}+${n}`).toBe(n);
    }
    expect(() => workingDaysBetween('2025-11-17', '2025-11-14')).toThrow(RangeError);
  });

  it('refuses malformed dates and periods', () => {
    expect(() => isWorkingDay('2025-02-29')).toThrow(RangeError);
    expect(() => isWorkingDay('2025-9-1')).toThrow(RangeError);
    expect(() => workingDaysBetween('2025-13-01', '2025-13-01')).toThrow(RangeError);
    expect(() => addWorkingDays('2025-09-26', 0)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-09-26', 2.5)).toThrow(RangeError);
  });
});

describe('a year the calendar does not know', () => {
  it('throws CalendarYearUnknownError naming the year rather than guessing', () => {
    expect(() => isWorkingDay('2027-02-08')).toThrow(CalendarYearUnknownError);
    expect(() => isWorkingDay('2027-02-08')).toThrow(/2027/);
    try {
      isWorkingDay('2027-02-08');
    } catch (error) {
      expect((error as CalendarYearUnknownError).year).toBe(2027);
    }
  });

  it('knows the announced years 2004–2026 and no others', () => {
    expect(isWorkingDay('2004-10-01')).toBe(false);
    expect(isWorkingDay('2026-12-31')).toBe(true);
    expect(() => isWorkingDay('2003-12-31')).toThrow(/2003/);
  });

  it('throws when a period runs into it', () => {
    expect(addWorkingDays('2026-12-24', 3)).toBe('2026-12-29');
    expect(() => addWorkingDays('2026-12-28', 5)).toThrow(CalendarYearUnknownError);
    expect(() => workingDaysBetween('2026-12-30', '2027-01-04')).toThrow(CalendarYearUnknownError);
  });

  it('works once an operator supplies the year', () => {
    const years = [CalendarYear.parse(YEAR_2027)];
    expect(isWorkingDay('2027-02-08', years)).toBe(false);
    expect(isWorkingDay('2027-02-13', years)).toBe(true); // a Saturday worked
    expect(isWorkingDay('2027-02-14', years)).toBe(false); // an ordinary Sunday
    expect(isWorkingDay('2027-02-12', years)).toBe(true);
    // 2026 still comes from the package; 2027-01-01 is the supplied holiday.
    expect(addWorkingDays('2026-12-28', 5, years)).toBe('2027-01-05');
    expect(addWorkingDays('2027-02-04', 2, years)).toBe('2027-02-13');
  });

  it("an operator's year replaces the package's year", () => {
    const corrected = CalendarYear.parse({ year: 2026, holidays: ['2026-01-01'], workdays: [], source: '更正通知（测试）' });
    expect(isWorkingDay('2026-02-16')).toBe(false);
    expect(isWorkingDay('2026-02-16', [corrected])).toBe(true);
    expect(isWorkingDay('2026-01-04', [corrected])).toBe(false);
  });
});

describe('the end of a period', () => {
  it('is 24:00 of its last day in Asia/Shanghai', () => {
    const end = periodEndsAt('2025-10-10');
    expect(end).toBe('2025-10-10T16:00:00Z');
    expect(chinaDate(new Date(Date.parse(end) - 1))).toBe('2025-10-10');
    expect(chinaDate(new Date(end))).toBe('2025-10-11');
  });
});

describe('an operator-supplied year (schemas/calendar.ts)', () => {
  const issues = (input: unknown) =>
    CalendarYear.safeParse(input).error?.issues.map(({ path, message }) => ({ path, message })) ?? [];

  it('accepts an announcement, including a 元旦 make-up day in the December before', () => {
    expect(issues(YEAR_2027)).toEqual([]);
    expect(issues({ ...YEAR_2027, workdays: ['2026-12-26'] })).toEqual([]);
  });

  it('names the field of each problem', () => {
    expect(issues({ ...YEAR_2027, holidays: ['2028-01-01'] })).toEqual([{ path: ['holidays', 0], message: expect.stringMatching(/2027/) }]);
    expect(issues({ ...YEAR_2027, workdays: ['2027-02-12'] })).toEqual([{ path: ['workdays', 0], message: expect.stringMatching(/周六或周日/) }]);
    expect(issues({ ...YEAR_2027, workdays: ['2027-02-13', '2027-02-13'] })).toEqual([{ path: ['workdays', 1], message: expect.stringMatching(/重复/) }]);
    expect(issues({ ...YEAR_2027, workdays: ['2027-02-06'] })).toEqual([{ path: ['workdays', 0], message: expect.stringMatching(/重复/) }]);
    expect(issues({ ...YEAR_2027, holidays: ['2027-02-30'] }).map(({ path }) => path)).toEqual([['holidays', 0]]);
    expect(issues({ ...YEAR_2027, holidays: [] }).map(({ path }) => path)).toEqual([['holidays']]);
    expect(issues({ ...YEAR_2027, source: '' }).map(({ path }) => path)).toEqual([['source']]);
    expect(issues({ ...YEAR_2027, year: 2027.5 }).map(({ path }) => path)).toContainEqual(['year']);
    expect(issues({ ...YEAR_2027, extra: 1 }).map(({ path }) => path)).toEqual([[]]);
  });

  it('takes each year once', () => {
    const result = CalendarYears.safeParse([YEAR_2027, YEAR_2027]);
    expect(result.error?.issues.map(({ path }) => path)).toEqual([[1, 'year']]);
  });
});

describe('parameter publicity.working-days', () => {
  it('ships 5 working days as a [default]', () => {
    expect(DEFAULT_PARAMETERS['publicity.working-days']).toEqual([expect.objectContaining({ value: '5', source: 'default' })]);
  });
  it('is a whole number of at least 1', () => {
    expect(parameterValueProblem('publicity.working-days', '1')).toBeUndefined();
    expect(parameterValueProblem('publicity.working-days', '10')).toBeUndefined();
    expect(parameterValueProblem('publicity.working-days', '0')).toMatch(/不能低于 1/);
    expect(parameterValueProblem('publicity.working-days', '2.5')).toMatch(/整数/);
  });
});
