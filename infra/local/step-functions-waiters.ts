import { setTimeout as sleep } from 'node:timers/promises';
import { namedError } from './step-functions-errors.js';
import type { Journal, Json } from './step-functions-journal.js';

/**
 * Callback tasks waiting for SendTaskSuccess/Failure, by token. A callback journaled while nobody was
 * waiting (before a restart, say) is picked up when the wait starts.
 */
export class TaskTokenWaiters {
  readonly #waiters = new Map<string, { execution: string; resolve: (output: Json) => void; reject: (error: Error) => void }>();

  constructor(private readonly journal: Journal) {}

  async wait(token: string, execution: string): Promise<Json> {
    const outcome = new Promise<Json>((resolve, reject) => this.#waiters.set(token, { execution, resolve, reject }));
    const step = await this.journal.stepOfToken(token).catch(() => undefined);
    if (step?.status === 'SUCCEEDED') this.resolve(token, step.output);
    if (step?.status === 'FAILED') this.reject(token, namedError(step.error ?? '', step.cause ?? ''));
    try {
      return await outcome;
    } finally {
      this.#waiters.delete(token);
    }
  }

  resolve(token: string, output: Json): void {
    this.#waiters.get(token)?.resolve(output);
  }

  reject(token: string, error: Error): void {
    this.#waiters.get(token)?.reject(error);
  }

  /** Ends every wait of an execution (it was stopped). */
  rejectExecution(execution: string, error: Error): void {
    for (const waiter of this.#waiters.values()) if (waiter.execution === execution) waiter.reject(error);
  }
}

/**
 * Node's timers cannot wait longer than 2^31−1 ms (a longer delay fires at once), so a long wait is
 * served in slices no longer than this; the local task timeout (MAX_LOCAL_TIMEOUT_SECONDS) stays above it.
 */
export const MAX_TIMER_MS = 2_000_000_000;

/** Waits until `until` (epoch ms) or at most `maxTimerMs`; true if `until` has come. Ends early, false, on abort. */
export async function waitUntil(until: number, signal: AbortSignal, maxTimerMs = MAX_TIMER_MS): Promise<boolean> {
  const remaining = until - Date.now();
  if (remaining <= 0) return true;
  try {
    await sleep(Math.min(remaining, maxTimerMs), undefined, { signal });
  } catch {
    return false; // aborted
  }
  return Date.now() >= until;
}
