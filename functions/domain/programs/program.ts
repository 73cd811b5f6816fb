import type { BenefitClaim } from '../benefit-ledger.js';
import type { ParametersInForce } from '../parameters.js';
import type { ReviewingDepartment } from '../policy.js';
import type { Reason } from '../reasons.js';

export interface EntitlementContext {
  uscc: string;
  /** The submission date (YYYY-MM-DD): the parameters in force on it apply. */
  submittedOn: string;
  params: ParametersInForce;
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
  reasons: Reason[];
}

/** A paid program: its reviewing department and how its measure computes the entitlement. */
export interface Program<Details> {
  id: string;
  department: ReviewingDepartment;
  entitle(details: Details, context: EntitlementContext): Entitlement;
}
