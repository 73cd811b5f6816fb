import { startupCapital } from '../measures/m03-startup-capital.js';
import { techTransaction } from '../measures/m08-tech-transaction.js';
import { competitionAward } from '../measures/m09-competition-award.js';
import { firstOfKind } from '../measures/m10-first-of-kind.js';
import { talentFlexibleMonthly, talentIntroduction } from '../measures/m11-high-level-talent.js';
import { entrepreneurship } from '../measures/m12-entrepreneurship.js';
import { livingAllowance } from '../measures/m13-living-allowance.js';
import { housing } from '../measures/m14-housing.js';
import { platformAward } from './platform-award.js';
import type { Program } from './program.js';
import type { ProgramId } from '../vocabulary.js';

/** Every paid program by its `programId`, in the order of the measures. */
export const PROGRAMS = {
  'startup-capital': startupCapital,
  'platform-award': platformAward,
  'tech-transaction': techTransaction,
  'competition-award': competitionAward,
  'first-of-kind': firstOfKind,
  'talent-introduction': talentIntroduction,
  'talent-flexible-monthly': talentFlexibleMonthly,
  entrepreneurship,
  'talent-living-allowance': livingAllowance,
  'talent-housing': housing,
} satisfies Record<ProgramId, Program<never>>;

export function programOf(programId: string): Program<unknown> {
  const program = (PROGRAMS as Record<string, Program<never>>)[programId];
  if (!program) throw new Error(`Unknown program ${programId}`);
  return program as Program<unknown>;
}
export { measuresOf } from './program.js';

/** Prefixes of the parameters every program reads (policy term, review, 公示, documents). */
export const SHARED_PARAMETERS = ['policy.', 'review.', 'publicity.', 'documents.'] as const;
