import { z } from 'zod';
import { getApplication, updateApplication } from '../store/applications.js';
import { retryOnConflict } from '../store/transactions.js';

const Input = z.object({ applicationId: z.string() });

/** Workflow step after a `reject` decision: the application ends REJECTED (the DECIDED event holds why). */
export async function handler(event: unknown): Promise<{ status: string }> {
  const { applicationId } = Input.parse(event);
  return retryOnConflict(async () => {
    const application = await getApplication(applicationId);
    if (!application) throw new Error(`Application ${applicationId} not found`);
    if (application.status === 'REJECTED') return { status: 'REJECTED' };
    await updateApplication(application, { status: 'REJECTED' }, { type: 'REJECTED', actor: 'workflow', data: { stage: application.stage } }, ['stage']);
    return { status: 'REJECTED' };
  });
}
