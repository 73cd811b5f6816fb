import { z } from 'zod';
import { logger, withCorrelation } from '../logger.js';
import { deliver } from '../services/workflow.js';
import { pendingOutbox } from '../store/outbox.js';

/** The scheduled event carries nothing we need; a test may ask for younger items too. */
const Input = z.object({ olderThanSeconds: z.number().int().min(0).optional() }).loose();

/**
 * The outbox relay (scheduled every few minutes): every workflow call that was committed with its state
 * change but never made — the request failed or the process died after the commit — is made now,
 * oldest first. Each call is idempotent, so one also made by the request itself does no harm. Items
 * younger than a few seconds are left to the request that wrote them.
 */
export async function handler(event: unknown): Promise<{ delivered: number; failed: number }> {
  const { olderThanSeconds = 5 } = Input.parse(event ?? {});
  return withCorrelation({ step: 'OutboxRelay' }, async () => {
    const before = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
    let delivered = 0;
    let failed = 0;
    for (const item of await pendingOutbox(before)) {
      if (await deliver(item)) delivered++;
      else {
        failed++;
        // At ERROR: the RedeliveryFailed alarm counts these lines.
        logger.error('outbox item still undelivered', { outboxId: item.id, applicationId: item.applicationId, action: item.call.action });
      }
    }
    logger.info('outbox relay run', { delivered, failed });
    return { delivered, failed };
  });
}
