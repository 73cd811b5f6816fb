import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEPARTMENTS, REVIEW_STAGES } from '../../schemas/api.js';
import { addDays } from '../domain/dates.js';
import { getApplication } from '../store/applications.js';
import { openTask } from '../store/tasks.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({
  applicationId: z.string(),
  stage: z.enum(REVIEW_STAGES),
  dept: z.enum(DEPARTMENTS),
  taskToken: z.string().min(1),
});

/** Days a stage has before its task shows as overdue. */
const REVIEW_DAYS = 15;

/**
 * Workflow step for a review stage (invoked with a task token): writes the open task for the stage's
 * department. The workflow waits until a reviewer's decision returns the token. The task id is derived
 * from the token, so a retried invocation finds its task instead of opening a second one.
 */
export async function handler(event: unknown): Promise<{ taskId: string }> {
  const { applicationId, stage, dept, taskToken } = Input.parse(event);
  const taskId = createHash('sha256').update(taskToken).digest('hex').slice(0, 32);
  await retryOnConflict(async () => {
    const application = await getApplication(applicationId);
    if (!application) throw new Error(`Application ${applicationId} not found`);
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
        dueAt: addDays(createdAt, REVIEW_DAYS),
      },
      application,
    );
  });
  return { taskId };
}
