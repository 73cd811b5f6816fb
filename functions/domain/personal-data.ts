import { createHmac } from 'node:crypto';
import { maskResidentId } from './identity.js';

/**
 * Resident ID numbers never reach storage, keys, indexes or logs: at the API boundary each one is
 * replaced by its keyed hash (HMAC-SHA-256 with a secret from configuration) — the person key that
 * benefit keys and the credit list use — and a masked form for people to read.
 */
export function personKeyOf(idNumber: string, secret: string): string {
  return createHmac('sha256', secret).update(idNumber.toUpperCase()).digest('hex').slice(0, 32);
}

type WithIdNumber = { idNumber: string } & Record<string, unknown>;

/** Details with every `person.idNumber` replaced by `personKey` and `idNumberMasked`. */
export function protectDetails<T>(details: T, secret: string): T {
  if (!details || typeof details !== 'object' || !('person' in details)) return details;
  const { idNumber, ...person } = (details as { person: WithIdNumber }).person;
  return {
    ...details,
    person: { ...person, personKey: personKeyOf(idNumber, secret), idNumberMasked: maskResidentId(idNumber) },
  };
}
