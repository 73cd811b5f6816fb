const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (YYYY-MM-DD) an instant falls on in China: the day an application counts as submitted. */
export function chinaDate(instant: Date): string {
  return CHINA_DATE.format(instant);
}

/** Adds whole days to an ISO instant. */
export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}
