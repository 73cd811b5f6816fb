import { z } from 'zod';
import { logger, withCorrelation } from '../logger.js';
import { deliverDecision } from '../services/decisions.js';
import { getApplication } from '../store/applications.js';
import { undeliveredDecisions } from '../store/tasks.js';

/** The scheduled event carries nothing we need; a test may ask for younger decisions too. */
const Input = z.object({ olderThanSeconds: z.number().int().min(0).optional() }).loose();

/**
 * Scheduled job (every few minutes): decisions that were recorded but never reached the workflow — the
 * decision request failed between its write and its callback, and nobody retried — are delivered now,
 * so that no application waits for ever on a decision already made.
 */
export async function handler(event: unknown): Promise<{ redelivered: number }> {
  const { olderThanSeconds = 60 } = Input.parse(event ?? {});
  return withCorrelation({ step: 'RedeliverDecisions' }, async () => {
    const before = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
    let redelivered = 0;
    for (const task of await undeliveredDecisions(before)) {
      const application = await getApplication(task.applicationId);
      if (!application) continue;
      try {
        await deliverDecision(task, application);
        redelivered++;
      } catch (error) {
        // Logged at ERROR: the RedeliveryFailed alarm counts these lines.
        logger.error('redelivery failed', { taskId: task.taskId, applicationId: task.applicationId, error: error as Error });
      }
    }
    logger.info('redelivery run', { redelivered });
    return { redelivered };
  });
}
