import { type Assessment, type Claimant, assess, assessmentReads } from '../domain/assessment.js';
import { restrictedSubjects } from '../store/credit.js';
import { readLedger } from '../store/ledger.js';
import { loadParameters } from '../store/parameters.js';
import { getRegistryEntry } from '../store/registry.js';

/**
 * Assesses a claimant against what the store holds now: parameters (with administrators' dated
 * values), the park roster, the credit list and the ledger. The 政策计算器 and the Assess step both
 * call this, so a quote and an assessment on the same day agree.
 */
export async function assessNow(claimant: Claimant): Promise<Assessment> {
  const parameters = await loadParameters();
  const reads = assessmentReads(claimant, parameters);
  const [roster, creditRestricted, ledger] = await Promise.all([
    getRegistryEntry(claimant.uscc),
    restrictedSubjects(reads.creditSubjects),
    readLedger(reads),
  ]);
  return assess(claimant, { roster, creditRestricted, priorGrants: ledger.grants }, parameters);
}
