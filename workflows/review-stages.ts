import { type Department, REVIEW_STAGES as STAGES, type ReviewStage, STAGE_DEPARTMENTS } from '../functions/domain/vocabulary.js';

export interface ReviewStageDefinition {
  stage: ReviewStage;
  /** The department whose reviewers decide; `program` means the program's own (科技局 or 人社局). */
  dept: Department | 'program';
  /** Entered only when the previous decision says so (the amount under review reached the threshold). */
  onlyWhen?: 'leadershipRequired';
}

/** Stages entered only on a condition; the others are always entered. */
const CONDITIONS: Partial<Record<ReviewStage, ReviewStageDefinition['onlyWhen']>> = { LEADERSHIP: 'leadershipRequired' };

/** The review stages an eligible application passes, in order, before Grant. */
export const REVIEW_STAGES: readonly ReviewStageDefinition[] = STAGES.map((stage) => ({
  stage,
  dept: STAGE_DEPARTMENTS[stage],
  ...(CONDITIONS[stage] ? { onlyWhen: CONDITIONS[stage] } : {}),
}));
