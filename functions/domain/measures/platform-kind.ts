import type { LedgerMode } from '../benefit-ledger.js';
import type { Yuan } from '../money.js';
import type { ParametersInForce } from '../parameters.js';

export interface PlatformAwardDetails {
  platformId: string;
  platformName: string;
  kind: string;
  approvedOn: string;
  /** 批准文号: recorded with the award; the key is the normalised official name (§5.10). */
  approvalDocNo?: string;
  provincialAmount?: string;
  assessmentYear?: number;
  /** The date of the provincial evaluation/assessment result (§5.2). */
  resultOn?: string;
}

/** How one kind of platform (a row of 第4–6条) is paid. */
export interface PlatformKindRule {
  measure: string;
  label: string;
  /** Benefit key category: `platform:<platformId>:<category>[:<assessmentYear>]`. */
  category: string;
  mode: LedgerMode;
  /** A 新获批/新认定/新备案 platform: its approval date must fall within the policy window. */
  newlyApproved: boolean;
  /** Paid per provincial assessment year; needs `provincialAmount` and `assessmentYear`. */
  perAssessmentYear?: boolean;
  amount(details: PlatformAwardDetails, params: ParametersInForce): { amount: Yuan; basis: string; capApplied?: string };
}
