/** Why an application is not (fully) payable: a code from the contract and a plain Chinese message. */
export interface Reason {
  code: ReasonCode;
  message: string;
}

export type ReasonCode =
  | 'POLICY_NOT_IN_FORCE'
  | 'EVENT_BEFORE_POLICY'
  | 'SUBJECT_NOT_IN_PARK'
  | 'CREDIT_RESTRICTED'
  | 'CONDITION_NOT_MET'
  | 'ALREADY_GRANTED'
  | 'CAP_REACHED';

export function reason(code: ReasonCode, message: string): Reason {
  return { code, message };
}

/** What the applicant can do about each reason: shown under it, so that a refusal is never a dead end. */
export const REASON_NEXT_STEPS = {
  POLICY_NOT_IN_FORCE: '本措施施行期限外的事项不予支持；如有疑问请咨询主管部门。',
  EVENT_BEFORE_POLICY: '本措施只支持施行之后发生的事项；请核对日期，或咨询是否适用其他政策。',
  SUBJECT_NOT_IN_PARK: '请联系所在园区，将企业登记到“晋创谷·晋城”入驻主体名录后再试算或申请。',
  CREDIT_RESTRICTED: '严重失信主体在限制期内不能获得支持；信用修复后请联系园区更新失信名单。',
  CONDITION_NOT_MET: '请按提示核对并修改所填信息；确实不符合条件的，本项不能申请。',
  ALREADY_GRANTED: '同一事项已获支持，按就高不重复不再重复支持；如记录有误请联系主管部门核实台账。',
  CAP_REACHED: '已达到本项支持上限；如记录有误请联系主管部门核实台账。',
} as const satisfies Record<ReasonCode, string>;
