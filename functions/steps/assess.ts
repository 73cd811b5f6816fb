import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { assessNow } from '../services/assessor.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), executionId: z.string().optional() });

/**
 * Workflow step Assess: eligibility, amount and a 就高不重复 read of the ledger, recorded on the
 * application with the parameters used. An ineligible application ends here as INELIGIBLE.
 */
export async function handler(event: unknown) {
  const { applicationId, executionId } = Input.parse(event);
  return withCorrelation({ step: 'Assess', applicationId, executionId }, async () => {
    return retryOnConflict(async () => {
      let application = await getApplication(applicationId);
      if (!application) throw new Error(`Application ${applicationId} not found`);

      if (!application.assessment) {
        const assessment = await assessNow(application);
        application = await updateApplication(
          application,
          assessment.eligible ? { assessment, amountUnderReview: assessment.amount } : { assessment, status: 'INELIGIBLE' },
          {
            type: 'ASSESSED',
            actor: 'workflow',
            data: {
              eligible: assessment.eligible,
              amount: assessment.amount,
              reasons: assessment.reasons,
              parametersUsed: assessment.parametersUsed,
            },
          },
        );
      }

      const assessment = application.assessment!;
      return { eligible: assessment.eligible, amount: assessment.amount, department: assessment.department };
    });
  });
}
