import type { Department } from '../functions/domain/policy.js';

export interface ReviewStageDefinition {
  stage: 'PARK_PRELIM' | 'DEPT_REVIEW' | 'LEADERSHIP';
  /** The department whose reviewers decide; `program` means the program's own (科技局 or 人社局). */
  dept: Department | 'program';
  /** Entered only when the previous decision says so (the amount under review reached the threshold). */
  onlyWhen?: 'leadershipRequired';
}

/** The review stages an eligible application passes, in order, before Grant. */
export const REVIEW_STAGES: readonly ReviewStageDefinition[] = [
  { stage: 'PARK_PRELIM', dept: 'park' },
  { stage: 'DEPT_REVIEW', dept: 'program' },
  { stage: 'LEADERSHIP', dept: 'leadership', onlyWhen: 'leadershipRequired' },
];
