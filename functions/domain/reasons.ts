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
