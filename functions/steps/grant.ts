import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { chinaDate } from '../domain/dates.js';
import { allows } from '../domain/lifecycle.js';
import { settleGrant } from '../domain/grant.js';
import { POLICY_DOCUMENT, POLICY_LEVEL } from '../domain/policy.js';
import { creditSubjectsOf } from '../domain/credit.js';
import { creditCheck } from '../store/credit.js';
import { type ApplicationRecord, getApplication, transitionWrites } from '../store/applications.js';
import { ledgerReads } from '../domain/benefit-ledger.js';
import { recordedClaims } from '../domain/assessment.js';
import { readLedger, reservationWrites } from '../store/ledger.js';
import { retryOnConflict, transact } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string(), executionId: z.string().optional() });

/**
 * Workflow step Grant: one transaction marks the application AWAITING_PUBLICITY and reserves every benefit key
 * of the award, conditioned on the ledger versions it read. A lost race reads the ledger again and pays
 * only what is still payable; if nothing is, the application ends INELIGIBLE (ALREADY_GRANTED). The
 * credit list is checked again here (§5.8): a subject listed during review ends INELIGIBLE.
 */
export async function handler(event: unknown): Promise<{ status: string; amount: string }> {
  const { applicationId, executionId } = Input.parse(event);
  return withCorrelation({ step: 'Grant', applicationId, executionId }, async () =>
    retryOnConflict(async () => {
      const application = await getApplication(applicationId);
      if (!application?.assessment) throw new Error(`Application ${applicationId} not found or not assessed`);
      if (!allows(application.status, 'grantForPublicity')) return { status: application.status, amount: application.approvedAmount ?? '0.00' };

      const { claims, groupCap } = recordedClaims(application.assessment);
      const [ledger, credit] = await Promise.all([readLedger(ledgerReads(claims, groupCap)), creditCheck(creditSubjectsOf(application))]);
      const at = new Date().toISOString();

      // §5.8: listed during review → INELIGIBLE, and no ledger reservation is made.
      if (credit.restricted.length > 0) {
        return endIneligible(application, at, 'CREDIT_RESTRICTED', '审批期间申请主体或所涉人员被列入严重失信主体名单，限制申请财政性资金项目。');
      }

      const approved = application.amountUnderReview ?? application.assessment.amount;
      const settlement = settleGrant(application.assessment, approved, ledger.grants);

      if (settlement.allocations.length === 0) {
        return endIneligible(application, at, 'ALREADY_GRANTED', '审批期间同一事项已获同等或更高标准支持（就高不重复）。');
      }

      const reservations = settlement.allocations.map((allocation) => ({
        ...allocation,
        grantId: applicationId,
        applicationId,
        policy: POLICY_DOCUMENT,
        grantedOn: chinaDate(new Date(at)),
        level: POLICY_LEVEL,
        uscc: application.uscc,
      }));
      await transact([
        // Payable only after 公示 (§5.14): the workflow waits for a notice, then for its period.
        ...transitionWrites(
          application,
          'grantForPublicity',
          { approvedAmount: settlement.total, reservations: settlement.allocations.map(({ benefitKey, amount }) => ({ benefitKey, amount })) },
          {
            actor: 'workflow',
            data: {
              amount: settlement.total,
              benefitKeys: settlement.allocations,
              ...(settlement.reducedByLedger ? { reducedFrom: approved, reason: '审批期间台账已有同类支持，按就高不重复扣减' } : {}),
            },
          },
          at,
        ),
        ...reservationWrites(reservations, settlement.touched, ledger),
        // A listing made since the check above fails the transaction, and the retry sees it.
        ...credit.unchanged,
      ]);
      return { status: 'AWAITING_PUBLICITY', amount: settlement.total };
    }),
  );
}

/** Ends the application INELIGIBLE at Grant, with the reason on its trail; nothing is reserved. */
async function endIneligible(application: ApplicationRecord, at: string, code: string, message: string): Promise<{ status: string; amount: string }> {
  await transact(transitionWrites(application, 'grantIneligible', {}, { actor: 'workflow', data: { code, message } }, at));
  return { status: 'INELIGIBLE', amount: '0.00' };
}
