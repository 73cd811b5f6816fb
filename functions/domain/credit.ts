/** A 严重失信 entry as the rule needs it. */
export interface CreditListing {
  listedOn: string;
  liftedOn?: string;
  validUntil?: string;
  /** Lifted with no date (entries made before liftedOn existed). */
  lifted?: boolean;
}

/**
 * POLICY.md §5.8: a listing applies from its `listedOn` (a future one not yet) until it is lifted
 * (`liftedOn`, or the undated `lifted` flag) or its `validUntil` has passed. Dates are YYYY-MM-DD.
 */
export function creditApplies(entry: CreditListing, on: string): boolean {
  if (entry.lifted === true && !entry.liftedOn) return false;
  if (entry.listedOn > on) return false;
  if (entry.liftedOn && entry.liftedOn <= on) return false;
  if (entry.validUntil && entry.validUntil < on) return false;
  return true;
}

/** The subjects of an application checked against the list: the enterprise, and the person it is about. */
export function creditSubjectsOf(application: { uscc: string; details: unknown; assessment?: { creditSubjects?: string[] } }): string[] {
  if (application.assessment?.creditSubjects) return application.assessment.creditSubjects;
  const person = (application.details as { person?: { personKey?: string } } | undefined)?.person;
  return [`enterprise:${application.uscc}`, ...(person?.personKey ? [`person:${person.personKey}`] : [])];
}
