import type { ParametersInForce } from './parameters.js';
import { type Reason, reason } from './reasons.js';

/**
 * A person as the policy engine sees them: the resident ID number is already replaced by its keyed
 * hash (`personKey`, for benefit keys and the credit list) and a masked form.
 */
export interface Person {
  personKey: string;
  idNumberMasked: string;
  name: string;
  degree: 'phd' | 'master' | 'bachelor';
  hiredOn: string;
  contractYears: number;
  socialInsuranceMonths: number;
  fullTime: boolean;
  /** 高级专业技术职称 (§5.6): qualifies for the 第12条 project like a master. */
  title?: 'senior';
  /** The day the person left the employer (§5.7): later months are not claimable. */
  leftOn?: string;
}

export const DEGREE_LABEL = { phd: '博士研究生', master: '硕士研究生', bachelor: '大学毕业生' } as const;

/**
 * The talent conditions of 第11、13、14条: when employed, a labour contract of at least 3 years and at
 * least 6 months of social insurance; for 第13、14条 also full-time, and newly introduced (hired within
 * the policy window).
 */
export function talentConditions(
  person: Person,
  params: ParametersInForce,
  submittedOn: string,
  options: { employed: boolean; fullTime: boolean; newlyIntroduced: boolean },
): Reason[] {
  const reasons: Reason[] = [];
  if (options.employed) {
    const minYears = Number(params.get('talent.min-contract-years'));
    const minMonths = Number(params.get('talent.min-social-insurance-months'));
    if (person.contractYears < minYears) {
      reasons.push(reason('CONDITION_NOT_MET', `劳动合同期限 ${person.contractYears} 年，不足 ${minYears} 年。`));
    }
    if (person.socialInsuranceMonths < minMonths) {
      reasons.push(reason('CONDITION_NOT_MET', `社会保险实际缴纳 ${person.socialInsuranceMonths} 个月，不足 ${minMonths} 个月。`));
    }
    // §5.7: months paid for this employer cannot exceed the months since hire, the month of hire counted.
    const employedMonths = Math.max(0, monthsBetween(person.hiredOn, person.leftOn && person.leftOn < submittedOn ? person.leftOn : submittedOn) + 1);
    if (person.socialInsuranceMonths > employedMonths) {
      reasons.push(reason('CONDITION_NOT_MET', `申报社会保险 ${person.socialInsuranceMonths} 个月，超过入职以来的 ${employedMonths} 个月。`));
    }
  }
  if (options.fullTime && !person.fullTime) {
    reasons.push(reason('CONDITION_NOT_MET', '须为全职引进人才。'));
  }
  if (options.newlyIntroduced && person.hiredOn < params.get('policy.in-force-from')) {
    reasons.push(reason('EVENT_BEFORE_POLICY', `入职日期 ${person.hiredOn} 早于本措施施行日期，不属于新引进人才。`));
  }
  if (person.hiredOn > submittedOn) {
    reasons.push(reason('CONDITION_NOT_MET', `入职日期 ${person.hiredOn} 晚于申请日期。`));
  }
  if (person.leftOn && person.leftOn < person.hiredOn) {
    reasons.push(reason('CONDITION_NOT_MET', `离职日期 ${person.leftOn} 早于入职日期。`));
  }
  return reasons;
}

const monthIndex = (yyyyMm: string) => Number(yyyyMm.slice(0, 4)) * 12 + Number(yyyyMm.slice(5, 7)) - 1;

/** Months between two YYYY-MM(-DD) dates: 0 for the same month. */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

export interface MonthCheck {
  claimable: string[];
  refused: { month: string; why: string }[];
}

/**
 * "Within 5 years": a month is claimable only within the 60 months that start with the month of hire,
 * not before the policy took effect, once it has ended (paid in arrears, §5.7), and not after the
 * month the person left.
 */
export function claimableMonths(months: readonly string[], person: Person, params: ParametersInForce, submittedOn: string): MonthCheck {
  const window = Number(params.get('talent.claim-window-months'));
  const policyStart = params.get('policy.in-force-from').slice(0, 7);
  const result: MonthCheck = { claimable: [], refused: [] };
  for (const month of [...months].sort()) {
    const sinceHire = monthsBetween(person.hiredOn, month);
    let why: string | undefined;
    if (sinceHire < 0) why = '早于入职月份';
    else if (sinceHire >= window) why = `超出入职后 ${window} 个月`;
    else if (month > submittedOn.slice(0, 7)) why = '尚未到来的月份';
    else if (month === submittedOn.slice(0, 7)) why = '当月尚未结束';
    else if (month < policyStart) why = '早于本措施施行';
    else if (person.leftOn && month > person.leftOn.slice(0, 7)) why = `${person.leftOn} 已离职`;
    if (why) result.refused.push({ month, why });
    else result.claimable.push(month);
  }
  return result;
}
