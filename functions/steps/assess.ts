import { z } from 'zod';
import { ParametersInForce } from '../domain/parameters.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { loadParameters } from '../store/parameters.js';
import { assessNow } from '../services/assessor.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string() });

/**
 * Workflow step Assess: eligibility, amount and a 就高不重复 read of the ledger, recorded on the
 * application with the parameters used. An ineligible application ends here as INELIGIBLE.
 */
export async function handler(event: unknown) {
  const { applicationId } = Input.parse(event);
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
    const params = new ParametersInForce(await loadParameters(), application.submittedOn);
    return {
      eligible: assessment.eligible,
      amount: assessment.amount,
      department: assessment.department,
      // How long the workflow waits for a returned application to come back (whole seconds, at least 1).
      revisionTimeoutSeconds: Math.max(1, Math.ceil(Number(params.get('review.return-deadline-days')) * 86_400)),
    };
  });
}
