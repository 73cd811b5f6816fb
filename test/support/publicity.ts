import { expect } from 'vitest';
import { type ApiClient, eventually } from './local-stack.js';

/** A 公示 period of this many seconds on the local stack (PUBLICITY_SECONDS): long enough for a request, short for a test. */
export const PUBLICITY_ENV = { PUBLICITY_SECONDS: '2' } as const;

/** Resolves once the application shows `status` to `reader`. */
export function statusReached(reader: ApiClient, id: string, status: string, what = status) {
  return eventually(async () => {
    const { body } = await reader.get(`/applications/${id}`);
    return body?.status === status ? body : undefined;
  }, `${id} ${what}`);
}

/**
 * Takes awards that the last stage approved through 公示: waits until each awaits publicity, publishes
 * a notice (as `publisher`, a 科技局/人社局 reviewer or admin), and resolves when each is APPROVED.
 */
export async function throughPublicity(publisher: ApiClient, reader: ApiClient, ids: readonly string[], title = '测试公示'): Promise<void> {
  for (const id of ids) await statusReached(reader, id, 'AWAITING_PUBLICITY');
  const published = await publisher.post('/publicity', { title });
  expect(published.status, JSON.stringify(published.body)).toBe(201);
  for (const id of ids) await statusReached(reader, id, 'APPROVED');
}
