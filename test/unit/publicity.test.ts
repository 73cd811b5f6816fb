import { describe, expect, it } from 'vitest';
import { maskPersonName, noticePeriod, publicityOpen } from '../../functions/domain/publicity.js';
import { CalendarYearUnknownError, workingDaysBetween } from '../../functions/domain/working-days.js';

describe('公示 period and masking', () => {
  it('starts the next working day and ends after 5 working days, at 24:00 Asia/Shanghai of the last', () => {
    // Published Thursday 2025-09-25 (Beijing): Fri 26, Sun 28 (调休 make-up day), Mon 29, Tue 30, then
    // National Day (Oct 1–8 off) → Thu Oct 9 is the 5th working day after publication.
    const period = noticePeriod(new Date('2025-09-25T02:00:00Z'), 5);
    expect(period).toEqual({ startsOn: '2025-09-26', endsOn: '2025-10-09', workingDays: 5, closesAt: '2025-10-09T16:00:00Z' });
    expect(workingDaysBetween('2025-09-25', period.endsOn)).toBe(5);
  });

  it('counts the publication day in Asia/Shanghai, not UTC', () => {
    // 2025-09-25 23:30 in Beijing is still the 25th there (15:30 UTC); 16:30 UTC is already the 26th.
    expect(noticePeriod(new Date('2025-09-25T15:30:00Z'), 1).endsOn).toBe('2025-09-26');
    expect(noticePeriod(new Date('2025-09-25T16:30:00Z'), 1).endsOn).toBe('2025-09-28');
  });

  it('closes a shortened period n seconds after publication, keeping the working-day dates', () => {
    const now = new Date('2025-09-25T02:00:00Z');
    const period = noticePeriod(now, 5, 30);
    expect(period.endsOn).toBe('2025-10-09');
    expect(period.closesAt).toBe('2025-09-25T02:00:30Z');
    expect(publicityOpen(period.closesAt, new Date('2025-09-25T02:00:29Z'))).toBe(true);
    expect(publicityOpen(period.closesAt, new Date('2025-09-25T02:00:30Z'))).toBe(false);
  });

  it('fails for a year the calendar does not know rather than guessing', () => {
    expect(() => noticePeriod(new Date('2099-12-20T02:00:00Z'), 5)).toThrow(CalendarYearUnknownError);
  });

  it('masks a person as 张*', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧***');
    expect(maskPersonName('李')).toBe('李*');
  });
});
