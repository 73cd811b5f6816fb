import { z } from 'zod';
import { addDays } from '../domain/dates.js';
import { ParametersInForce } from '../domain/parameters.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { loadParameters } from '../store/parameters.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), taskToken: z.string().min(1) });

/**
 * Workflow step after a `return` decision (invoked with a task token): the application becomes
 * RETURNED and keeps the token; `PUT /applications/{id}` answers it with the corrected details. The
 * workflow's own timeout ends the wait at the deadline.
 */
export async function handler(event: unknown): Promise<void> {
  const { applicationId, taskToken } = Input.parse(event);
  await retryOnConflict(async () => {
    const application = await getApplication(applicationId);
    if (!application) throw new Error(`Application ${applicationId} not found`);
    if (application.status === 'RETURNED' && application.revisionToken === taskToken) return;
    const days = new ParametersInForce(await loadParameters(), application.submittedOn).get('review.return-deadline-days');
    const revisionDueAt = addDays(new Date().toISOString(), Number(days));
    await updateApplication(
      application,
      { status: 'RETURNED', revisionToken: taskToken, revisionDueAt },
      { type: 'RETURNED', actor: 'workflow', data: { stage: application.stage, comment: application.returnComment, revisionDueAt } },
      ['stage'],
    );
  });
}
