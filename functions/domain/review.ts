import { type Yuan, yuan } from './money.js';
import { programOf } from './programs/index.js';
import { type Decision, type Department, type ReviewStage, STAGE_DEPARTMENTS } from './vocabulary.js';

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
