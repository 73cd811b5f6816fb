import { chinaDate } from './dates.js';
import type { Assessment } from './assessment.js';
import { measuresOf, programOf } from './programs/index.js';
import { addWorkingDays, periodEndsAt } from './working-days.js';

/**
 * 公示 (§5.14): what a notice says and when its period ends. Pure; the store applies it
 * (store/publicity.ts) and the workflow waits for it.
 */

/** How many awards one notice takes: its writes must fit one DynamoDB transaction (100 items, 3 per award). */
export const MAX_NOTICE_ITEMS = 30;

export interface NoticeItem {
  itemNo: number;
  applicationId: string;
  enterpriseName: string;
  programTitle: string;
  measure: string;
  amount: string;
  /** A person's name masked as 张*; never an ID number or an account. */
  personName?: string;
}

export interface NoticePeriod {
  startsOn: string;
  endsOn: string;
  workingDays: number;
  /** The instant objections close and the awards become payable. */
  closesAt: string;
}

/**
 * The period of a notice published at `now`: `workingDays` working days starting the next working day
 * (a notice published in the afternoon does not lose a day), ending 24:00 Asia/Shanghai of the last.
 * `shortenedToSeconds` (local demos and tests only) makes the period close that many seconds after
 * `now`; the dates shown stay the working-day ones.
 */
export function noticePeriod(now: Date, workingDays: number, shortenedToSeconds?: number): NoticePeriod {
  const publishedOn = chinaDate(now);
  const endsOn = addWorkingDays(publishedOn, workingDays);
  const closesAt = shortenedToSeconds ? new Date(now.getTime() + shortenedToSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : periodEndsAt(endsOn);
  return { startsOn: addWorkingDays(publishedOn, 1), endsOn, workingDays, closesAt };
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character, then one * for each other. */
export function maskPersonName(name: string): string {
  const characters = [...name.trim()];
  return characters.length <= 1 ? `${characters[0] ?? ''}*` : characters[0] + '*'.repeat(characters.length - 1);
}

/** The person a talent or founder application is about, by name (masked), if it has one. */
function personNameOf(details: Record<string, unknown>): string | undefined {
  for (const field of ['person', 'founder']) {
    const person = details[field] as { name?: unknown } | undefined;
    if (person && typeof person.name === 'string') return maskPersonName(person.name);
  }
  return undefined;
}

/** One line of a notice: what the public may read about an award. */
export function noticeItem(
  itemNo: number,
  award: { id: string; programId: string; details: Record<string, unknown>; approvedAmount?: string; assessment?: Assessment },
  enterpriseName: string,
): NoticeItem {
  const program = programOf(award.programId);
  const personName = personNameOf(award.details);
  return {
    itemNo,
    applicationId: award.id,
    enterpriseName,
    programTitle: program.title,
    measure: measuresOf(program).join('、'),
    amount: award.approvedAmount ?? '0.00',
    ...(personName ? { personName } : {}),
  };
}

/** Whether objections are still accepted at `now`. */
export const publicityOpen = (closesAt: string, now: Date) => now.getTime() < Date.parse(closesAt);
