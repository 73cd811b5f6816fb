import { z } from 'zod';
import { IsoDate, Text } from './common.js';

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** A date of the year's announcement: in that year, or in the December before (a 元旦 make-up day). */
function inAnnouncedYear(year: number, date: string): boolean {
  return date.startsWith(`${year}-`) || date.startsWith(`${year - 1}-12-`);
}

/**
 * One year of the working-day calendar as the State Council announced it, supplied by an operator for a
 * year the `chinese-days` package does not know yet (or to correct one). It replaces that year whole.
 */
export const CalendarYear = z
  .strictObject({
    year: z.int().min(2000).max(2100),
    holidays: z.array(IsoDate).min(1, { error: '至少填写一个放假日期' }).max(60),
    workdays: z.array(IsoDate).max(20),
    source: Text(200).meta({ example: '国办发明电〔2026〕X号' }),
  })
  .superRefine(({ year, holidays, workdays }, ctx) => {
    const seen = new Set<string>();
    for (const [field, dates] of [['holidays', holidays], ['workdays', workdays]] as const) {
      dates.forEach((date, index) => {
        const path = [field, index];
        if (!inAnnouncedYear(year, date)) ctx.addIssue({ code: 'custom', path, message: `日期须在 ${year} 年内（或其前一年 12 月）` });
        else if (seen.has(date)) ctx.addIssue({ code: 'custom', path, message: '日期重复（同一天不能既放假又上班）' });
        // A make-up working day is always a Saturday or Sunday; a weekday here is a typo.
        else if (field === 'workdays' && weekday(date) !== 0 && weekday(date) !== 6) {
          ctx.addIssue({ code: 'custom', path, message: '调休上班日应为周六或周日' });
        }
        seen.add(date);
      });
    }
  })
  .meta({ id: 'CalendarYear', description: "One year's public holidays and 调休 working days, with the announcement" });

/** The years an operator supplied, one entry per year. */
export const CalendarYears = z.array(CalendarYear).superRefine((years, ctx) => {
  const seen = new Set<number>();
  years.forEach(({ year }, index) => {
    if (seen.has(year)) ctx.addIssue({ code: 'custom', path: [index, 'year'], message: `${year} 年重复` });
    seen.add(year);
  });
});
