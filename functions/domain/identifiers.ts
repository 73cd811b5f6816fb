/**
 * The one normaliser for every applicant-supplied identifier that becomes part of a benefit key
 * (POLICY.md §5.10): Unicode NFKC (full-width folds to half-width), case folded, and spaces,
 * punctuation and symbols removed — so `VAR-1`, `var-1`, `ＶＡＲ-１`, `VAR-1.` and `VAR-1/` are one id.
 */
export function normaliseId(value: string): string {
  // toUpperCase first so that characters whose lower case differs by locale (ß, ﬀ) fold the same way.
  return value.normalize('NFKC').toUpperCase().toLowerCase().replace(/[\p{P}\p{S}\p{Z}\p{C}\s]/gu, '');
}

/** A private id (agreement, project, team, applicant's contract number) is only unique within its enterprise. */
export function scopedId(uscc: string, value: string): string {
  return `${uscc.toUpperCase()}.${normaliseId(value)}`;
}

/**
 * The subject id of a benefit key for an id supplied from outside (applicant or import): contracts by
 * their national registration number and platforms by their official name, both unique nationally;
 * agreements, projects and teams within their enterprise; enterprises by USCC.
 */
export function grantSubjectId(subjectType: string, id: string, uscc?: string): string {
  switch (subjectType) {
    case 'enterprise':
      return id.toUpperCase();
    case 'contract':
    case 'platform':
      return normaliseId(id);
    default:
      if (!uscc) throw new Error(`A ${subjectType} id is scoped by its enterprise: uscc is needed`);
      return scopedId(uscc, id);
  }
}
