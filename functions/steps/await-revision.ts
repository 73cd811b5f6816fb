import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), taskToken: z.string().min(1), deadlineSeconds: z.number().int().positive(), executionId: z.string().optional() });

/**
 * Workflow step after a `return` decision (invoked with a task token): the application becomes
 * RETURNED and keeps the token; `PUT /applications/{id}` answers it with the corrected details. The
 * workflow's task timeout (the deployment's return deadline, passed in as deadlineSeconds) ends the wait.
 */
export async function handler(event: unknown): Promise<void> {
  const { applicationId, taskToken, deadlineSeconds, executionId } = Input.parse(event);
  return withCorrelation({ step: 'AwaitRevision', applicationId, executionId }, async () => {
    await retryOnConflict(async () => {
      const application = await getApplication(applicationId);
      if (!application) throw new Error(`Application ${applicationId} not found`);
      if (application.status === 'RETURNED' && application.revisionToken === taskToken) return;
      const revisionDueAt = new Date(Date.now() + deadlineSeconds * 1000).toISOString();
      await updateApplication(
        application,
        'return',
        { revisionToken: taskToken, revisionDueAt },
        { actor: 'workflow', data: { stage: application.stage, comment: application.returnComment, revisionDueAt } },
      );
    });
  });
}
