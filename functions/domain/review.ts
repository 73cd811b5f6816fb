import { type Yuan, yuan } from './money.js';
import { programOf } from './programs/index.js';
import { type ApplicationStatus, type Decision, type Department, REVIEW_STAGES, type ReviewStage, STAGE_DEPARTMENTS, type TaskStatus } from './vocabulary.js';

/** Only the department stage (科技局/人社局) may lower an amount (核减), POLICY.md §5.10. */
export const STAGE_THAT_MAY_LOWER: ReviewStage = 'DEPT_REVIEW';

export interface DecisionInput {
  stage: ReviewStage;
  decision: Decision;
  /** The amount this stage was asked to approve. */
  taskAmount: string;
  approvedAmount?: string;
  comment?: string;
  /** Warnings on the application (§5.11): approving past one needs a comment. */
  duplicateWarnings?: readonly unknown[];
}

/**
 * Why a reviewer's decision cannot be taken as it stands (a 400 at `path`), or undefined. A zero
 * approval is a rejection in disguise: it is refused with a pointer to `reject`, which needs a reason.
 */
export function decisionProblem(input: DecisionInput): { path: string; message: string } | undefined {
  if (input.decision === 'approve' && input.approvedAmount !== undefined) {
    const approved = yuan(input.approvedAmount);
    if (approved.isZero()) return { path: 'approvedAmount', message: '核定金额为 0 即不予支持，请选择“不予通过”并填写理由' };
    if (approved.greaterThan(yuan(input.taskAmount))) return { path: 'approvedAmount', message: `核定金额不能高于待审金额 ${input.taskAmount}` };
    if (approved.lessThan(yuan(input.taskAmount)) && input.stage !== STAGE_THAT_MAY_LOWER) {
      return { path: 'approvedAmount', message: '只有科技局、人社局审核环节可以核减金额；园区初审和领导审签只能通过、退回或不予通过' };
    }
    // The enterprise is shown why its award was lowered, beside the amount (issue 16).
    if (approved.lessThan(yuan(input.taskAmount)) && !input.comment?.trim()) {
      return { path: 'comment', message: '核减金额须填写意见，说明核减理由（将告知申请企业）' };
    }
  }
  if (input.decision === 'approve' && (input.duplicateWarnings?.length ?? 0) > 0 && !input.comment?.trim()) {
    return { path: 'comment', message: '该申请有疑似重复申报提示，通过时须填写核查意见' };
  }
  return undefined;
}

/**
 * Leadership sign-off (领导审签) is needed when the assessed amount or the decided one reaches the
 * threshold: lowering an award by 1 fen below the threshold does not skip it.
 */
export function leadershipRequired(assessed: string | undefined, decided: string, threshold: Yuan): boolean {
  return yuan(decided).greaterThanOrEqualTo(threshold) || (assessed !== undefined && yuan(assessed).greaterThanOrEqualTo(threshold));
}

/** The department whose reviewers decide `stage` of an application to `programId`. */
export function stageDepartment(stage: ReviewStage, programId: string): Department {
  const dept = STAGE_DEPARTMENTS[stage];
  return dept === 'program' ? programOf(programId).department : dept;
}

/** Who decided a stage of an application, and how. */
export interface Decider {
  stage: ReviewStage;
  sub: string;
  decision?: Decision;
  at?: string;
}

/**
 * The deciders of an application, whichever shape they were stored in: items written before the
 * structured shape hold `<stage>:<sub>` strings (the sub may itself contain ':').
 */
export function decidersOf(stored: readonly (Decider | string)[] | undefined): Decider[] {
  return (stored ?? []).map((entry) => {
    if (typeof entry !== 'string') return entry;
    const colon = entry.indexOf(':');
    const stage = entry.slice(0, colon);
    if (colon < 0 || !(REVIEW_STAGES as readonly string[]).includes(stage)) throw new Error(`Malformed decider ${entry}`);
    return { stage: stage as ReviewStage, sub: entry.slice(colon + 1) };
  });
}

/** The deciders after `decider` decided: always written in the structured shape. */
export function withDecider(stored: readonly (Decider | string)[] | undefined, decider: Decider): Decider[] {
  const others = decidersOf(stored).filter((d) => !(d.stage === decider.stage && d.sub === decider.sub));
  return [...others, decider];
}

/** A review task as the rules see it. */
export interface ReviewTask {
  stage: ReviewStage;
  dept: string;
  status: TaskStatus;
  amount: string;
  claimedBy?: string;
}

/** An application as the reviewer rules see it. */
export interface ApplicationUnderReview {
  status: ApplicationStatus;
  stage?: ReviewStage;
  deciders?: readonly (Decider | string)[];
  duplicateWarnings?: readonly unknown[];
}

export interface Reviewer {
  sub: string;
  dept: Department;
}

/** Why a reviewer may not do something, as the API answers it. */
export interface Refusal {
  kind: 'conflict' | 'forbidden' | 'invalid';
  message: string;
  path?: string;
}

/** A task is seen only by its department's reviewers: another department's tasks do not exist for them. */
export function maySee(task: Pick<ReviewTask, 'dept'>, reviewer: Reviewer): boolean {
  return task.dept === reviewer.dept;
}

/** Claiming: an open task not claimed by another (claiming again is harmless). */
export function claimRefusal(task: ReviewTask, reviewer: Reviewer): Refusal | undefined {
  if (task.status !== 'OPEN') return { kind: 'conflict', message: '该任务已处理' };
  if (task.claimedBy && task.claimedBy !== reviewer.sub) return { kind: 'conflict', message: `任务已由 ${task.claimedBy} 认领` };
  return undefined;
}

/** Releasing a claim: only one's own, on an open task. */
export function unclaimRefusal(task: ReviewTask, reviewer: Reviewer): Refusal | undefined {
  if (task.status !== 'OPEN' || task.claimedBy !== reviewer.sub) return { kind: 'conflict', message: '只能放弃本人认领且未处理的任务' };
  return undefined;
}

/** Separation of duties: one person decides at most one stage of an application. */
export function decidedAnotherStage(application: ApplicationUnderReview, sub: string, stage: ReviewStage): boolean {
  return decidersOf(application.deciders).some((d) => d.sub === sub && d.stage !== stage);
}

/**
 * Whether `reviewer` may take `decision` on `task` of `application` as it stands, in the order the API
 * answers: a decided task (409), another's claim (403), one stage per person (403), the decision's own
 * rules (400 at the field), and the application still at the task's stage (409).
 */
export function decisionRefusal(
  task: ReviewTask,
  application: ApplicationUnderReview,
  reviewer: Reviewer,
  decision: Pick<DecisionInput, 'decision' | 'approvedAmount' | 'comment'>,
): Refusal | undefined {
  if (task.status !== 'OPEN') return { kind: 'conflict', message: '该任务已处理' };
  if (task.claimedBy && task.claimedBy !== reviewer.sub) return { kind: 'forbidden', message: `该任务已由 ${task.claimedBy} 认领，只能由认领人处理` };
  if (decidedAnotherStage(application, reviewer.sub, task.stage)) return { kind: 'forbidden', message: '同一人只能审核同一申请的一个环节' };
  const problem = decisionProblem({ ...decision, stage: task.stage, taskAmount: task.amount, duplicateWarnings: application.duplicateWarnings ?? [] });
  if (problem) return { kind: 'invalid', ...problem };
  if (application.status !== 'IN_REVIEW' || application.stage !== task.stage) return { kind: 'conflict', message: '申请已不在此审核环节' };
  return undefined;
}
