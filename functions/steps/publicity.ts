import { z } from 'zod';
import { withCorrelation } from '../logger.js';
import { deliver } from '../services/workflow.js';
import { awaitPublicity, endPublicity } from '../store/publicity.js';

const Input = z.object({
  applicationId: z.string(),
  phase: z.enum(['await', 'end']),
  taskToken: z.string().min(1),
  executionId: z.string().optional(),
});

/**
 * The workflow's two 公示 waits (invoked with a task token): `await` keeps the token until a notice
 * includes the award (answered with the instant its period closes, which the Wait state reads);
 * `end`, after that Wait, makes the award APPROVED unless an objection holds it, in which case the
 * department's resolution answers the token.
 */
export async function handler(event: unknown): Promise<void> {
  const { applicationId, phase, taskToken, executionId } = Input.parse(event);
  return withCorrelation({ step: phase === 'await' ? 'AwaitPublicity' : 'EndPublicity', applicationId, executionId }, async () => {
    const call = phase === 'await' ? await awaitPublicity(applicationId, taskToken) : await endPublicity(applicationId, taskToken);
    // Committed with the change; if this call fails the outbox relay makes it.
    if (call) await deliver(call);
  });
}
