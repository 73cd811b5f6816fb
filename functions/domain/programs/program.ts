import type { BenefitClaim, GroupCap } from '../benefit-ledger.js';
import type { ParametersInForce } from '../parameters.js';
import type { ReviewingDepartment } from '../vocabulary.js';
import type { Reason } from '../reasons.js';
import type { Provision } from '../policy.js';
import type { DocumentRequirement } from '../documents.js';

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
  /** The articles the program pays under, with their text (第4、5、6条 for platform awards). */
  law: readonly Provision[];
  /** Prefixes of the parameters its measures read (GET /programs lists them with the shared ones). */
  parameters: readonly string[];
  /** Its 申报材料 checklist (the entry of DOCUMENT_CHECKLISTS). */
  documents: readonly DocumentRequirement[];
  title: string;
  entitle(details: Details, context: EntitlementContext): Entitlement;
}

/** The citations of the articles a program pays under, e.g. ["晋市政办〔2024〕39号 第4条", …]. */
export const measuresOf = (program: Pick<Program<never>, 'law'>): string[] => program.law.map((p) => p.citation);
