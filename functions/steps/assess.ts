import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { getApplication, updateApplication } from '../store/applications.js';
import { assessNow } from '../services/assessor.js';
import { subjectMarks } from '../domain/duplicates.js';
import { allows } from '../domain/lifecycle.js';
import { programOf } from '../domain/programs/index.js';
import { findDuplicates, recordMarks } from '../store/subjects.js';
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

      // Withdrawn before it was assessed: nothing to assess, and the workflow ends (its stop is on the way).
      if (!application.assessment && !allows(application.status, 'assess')) {
        return { eligible: false, amount: '0.00', department: programOf(application.programId).department };
      }
      if (!application.assessment) {
        const assessment = await assessNow(application);
        // §5.11: what this looks like among applications in review or granted, of any enterprise or program.
        const marks = subjectMarks(application.programId, application.details);
        const duplicateWarnings = assessment.eligible ? await findDuplicates(application.id, marks) : [];
        if (assessment.eligible) await recordMarks(application.id, application.programId, application.uscc, marks);
        const event = {
          actor: 'workflow',
          data: {
            eligible: assessment.eligible,
            amount: assessment.amount,
            reasons: assessment.reasons,
            parametersUsed: assessment.parametersUsed,
            ...(duplicateWarnings.length > 0 ? { duplicateWarnings } : {}),
          },
        };
        application = assessment.eligible
          ? await updateApplication(application, 'assess', { assessment, amountUnderReview: assessment.amount, duplicateWarnings }, event)
          : await updateApplication(application, 'assessIneligible', { assessment }, event);
      }

      const assessment = application.assessment!;
      return { eligible: assessment.eligible, amount: assessment.amount, department: assessment.department };
    });
  });
}
