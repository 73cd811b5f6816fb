import type { BenefitClaim, GroupCap } from '../benefit-ledger.js';
import type { ParametersInForce } from '../parameters.js';
import type { ReviewingDepartment } from '../vocabulary.js';
import type { Reason } from '../reasons.js';

export interface EntitlementContext {
  uscc: string;
  /** The submission date (YYYY-MM-DD): the parameters in force on it apply. */
  submittedOn: string;
  params: ParametersInForce;
  /** The day the enterprise joined the park (roster), where it is on the roster. */
  joinedOn?: string;
}

/** One computed line of money and the benefit key it is claimed under. */
export interface EntitlementItem {
  label: string;
  basis: string;
  measure: string;
  claim: BenefitClaim;
}

/** What the measure grants before 就高不重复 is applied, or why it grants nothing. */
export interface Entitlement {
  items: EntitlementItem[];
  /** A ceiling over the sum of the items (per enterprise and year, for example). */
  groupCap?: GroupCap & { label: string; measure: string };
  reasons: Reason[];
  /** Lines that explain what was left out (contracts before the policy, months outside the window). */
  notes?: { label: string; basis: string; measure: string }[];
  /** The person a talent application is about (their key), for the 严重失信 check. */
  personKey?: string;
}

/** A paid program: its reviewing department and how its measure computes the entitlement. */
export interface Program<Details> {
  id: string;
  department: ReviewingDepartment;
  /** The measures the program pays under, e.g. ["第4条", "第5条", "第6条"]. */
  measures: readonly string[];
  title: string;
  entitle(details: Details, context: EntitlementContext): Entitlement;
}
