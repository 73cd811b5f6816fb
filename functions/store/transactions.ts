import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './client.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction lost to a concurrent writer: one of its conditions no longer held. */
export class ConflictError extends Error {
  constructor(
    message: string,
    /** Per item: the cancellation code, e.g. "ConditionalCheckFailed" or "None". */
    readonly reasons: string[] = [],
  ) {
    super(message);
  }

  failedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

/** Writes all items or none; a failed condition becomes a ConflictError naming which item failed. */
export async function transact(items: TransactItem[], token?: string): Promise<void> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items, ...(token ? { ClientRequestToken: token } : {}) }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons.includes('ConditionalCheckFailed')) throw new ConflictError('concurrent update', reasons);
      if (reasons.includes('TransactionConflict')) throw new ConflictError('transaction conflict', reasons);
    }
    throw error;
  }
}

/** Runs a read-decide-write step again when a concurrent writer got there first. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || i >= attempts) throw error;
    }
  }
}
