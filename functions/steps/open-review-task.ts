import { createHash } from 'node:crypto';
import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { DEPARTMENTS, REVIEW_STAGES, type ReviewStage } from '../domain/vocabulary.js';
import { addDays } from '../domain/dates.js';
import { allows } from '../domain/lifecycle.js';
import { ParametersInForce } from '../domain/parameters.js';
import { getApplication } from '../store/applications.js';
import { loadParameters } from '../store/parameters.js';
import { openTask } from '../store/tasks.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({
  executionId: z.string().optional(),
  applicationId: z.string(),
  stage: z.enum(REVIEW_STAGES),
  dept: z.enum(DEPARTMENTS),
  taskToken: z.string().min(1),
});

/** The parameter that gives each stage its days before the task shows as overdue. */
const DEADLINE_PARAMETER = {
  PARK_PRELIM: 'review.park-prelim.days',
  DEPT_REVIEW: 'review.dept-review.days',
  LEADERSHIP: 'review.leadership.days',
} as const satisfies Record<ReviewStage, string>;

/**
 * Workflow step for a review stage (invoked with a task token): writes the open task for the stage's
 * department. The workflow waits until a reviewer's decision returns the token. The task id is derived
 * from the token, so a retried invocation finds its task instead of opening a second one.
 */
export async function handler(event: unknown): Promise<{ taskId: string }> {
  const { applicationId, stage, dept, taskToken, executionId } = Input.parse(event);
  return withCorrelation({ step: 'OpenReviewTask', applicationId, executionId }, async () => {
    const taskId = createHash('sha256').update(taskToken).digest('hex').slice(0, 32);
    await retryOnConflict(async () => {
      const application = await getApplication(applicationId);
      if (!application) throw new Error(`Application ${applicationId} not found`);
      // A withdrawn application gets no task: its execution is being stopped.
      if (!allows(application.status, 'openTask')) return;
      const days = new ParametersInForce(await loadParameters(), application.submittedOn).get(DEADLINE_PARAMETER[stage]);
      const createdAt = new Date().toISOString();
      await openTask(
        {
          taskId,
          applicationId,
          programId: application.programId,
          uscc: application.uscc,
          stage,
          dept,
          amount: application.amountUnderReview ?? application.assessment?.amount ?? '0.00',
          token: taskToken,
          status: 'OPEN',
          createdAt,
          dueAt: addDays(createdAt, Number(days)),
          ...(application.duplicateWarnings?.length ? { duplicateWarnings: application.duplicateWarnings } : {}),
        },
        application,
      );
    });
    return { taskId };
  });
}
