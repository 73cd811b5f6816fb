import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), outcome: z.enum(['REJECTED', 'REVISION_EXPIRED']), executionId: z.string().optional() });

/**
 * Workflow step that ends an application without a grant: REJECTED after a `reject` decision (the
 * DECIDED event holds why), or WITHDRAWN when the enterprise did not send its revision in time.
 */
export async function handler(event: unknown): Promise<{ status: string }> {
  const { applicationId, outcome, executionId } = Input.parse(event);
  return withCorrelation({ step: 'Close', applicationId, executionId }, async () => {
    const status = outcome === 'REJECTED' ? 'REJECTED' : 'WITHDRAWN';
    return retryOnConflict(async () => {
      const application = await getApplication(applicationId);
      if (!application) throw new Error(`Application ${applicationId} not found`);
      if (application.status === status) return { status };
      await updateApplication(
        application,
        { status },
        outcome === 'REJECTED'
          ? { type: 'REJECTED', actor: 'workflow', data: { stage: application.stage } }
          : { type: 'WITHDRAWN', actor: 'workflow', data: { reason: '退回补正逾期未重新提交，申请视为撤回。' } },
        ['stage', 'revisionToken'],
      );
      return { status };
    });
  });
}
