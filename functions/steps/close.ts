import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { allows } from '../domain/lifecycle.js';
import { CLOSE_OUTCOMES } from '../domain/vocabulary.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), outcome: z.enum(CLOSE_OUTCOMES), executionId: z.string().optional() });

/**
 * Workflow step that ends an application without a grant: REJECTED after a `reject` decision (the
 * DECIDED event holds why), or WITHDRAWN when the enterprise did not send its revision in time.
 */
export async function handler(event: unknown): Promise<{ status: string }> {
  const { applicationId, outcome, executionId } = Input.parse(event);
  return withCorrelation({ step: 'Close', applicationId, executionId }, async () => {
    const transition = outcome === 'REJECTED' ? 'reject' : 'expireRevision';
    return retryOnConflict(async () => {
      const application = await getApplication(applicationId);
      if (!application) throw new Error(`Application ${applicationId} not found`);
      // Already closed (a retried step), or withdrawn meanwhile: it keeps the status it has.
      if (!allows(application.status, transition)) return { status: application.status };
      const closed = await updateApplication(
        application,
        transition,
        {},
        outcome === 'REJECTED'
          ? { actor: 'workflow', data: { stage: application.stage } }
          : { actor: 'workflow', data: { reason: '退回补正逾期未重新提交，申请视为撤回。' } },
      );
      return { status: closed.status };
    });
  });
}
