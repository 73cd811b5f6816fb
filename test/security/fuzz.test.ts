import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, residentId, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess } from '../support/local-stack.js';

const person = { idNumber: residentId(), name: '张博士', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 8, fullTime: true };
const VALID = [
  platformAward('FUZZ-1'),
  { programId: 'tech-transaction', details: { year: 2025, contracts: [{ contractNo: 'C-1', registrationNo: '2025140500001', mode: 'transfer', amount: '1000.00', counterparty: '大学', signedOn: '2025-03-01' }] } },
  { programId: 'talent-housing', details: { person, subsidy: { type: 'rent', months: ['2025-02'], monthlyRent: '1500.00' } } },
  { programId: 'entrepreneurship', details: { kind: 'graduate-startup', stage: 'subsidy', founder: { name: '李毕业', degree: 'bachelor', graduatedOn: '2023-07-01' }, foundedOn: '2025-03-01' } },
];

/** Replaces one value somewhere in a JSON document (a mutation of a valid request). */
function mutate(document: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || document === null || typeof document !== 'object') return replacement;
  const entries = Object.entries(document as Record<string, unknown>);
  if (entries.length === 0) return replacement;
  const [key, value] = entries[path[0]! % entries.length]!;
  const copy = (Array.isArray(document) ? [...document] : { ...document }) as Record<string, unknown>;
  copy[key] = mutate(value, path.slice(1), replacement);
  return copy;
}

const payloads = fc.oneof(
  fc.jsonValue(),
  fc.tuple(fc.constantFrom(...VALID), fc.array(fc.nat(), { maxLength: 5 }), fc.jsonValue()).map(([valid, path, value]) => mutate(valid, path, value)),
  fc.tuple(fc.constantFrom(...VALID), fc.string()).map(([valid, key]) => ({ ...valid, [key]: 'x' })),
  fc.constantFrom(...VALID).map((valid) => ({ ...valid, details: { ...valid.details, ['__proto__']: { admin: true } } })),
);

/** Thousands of generated and mutated payloads: never a 5xx, never a record for a rejected request. */
describe('fuzzing the write routes', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  let enterprise: ApiClient;
  beforeAll(async () => {
    await stack.start();
    await (await stack.as({ sub: 'admin-1', role: 'admin' })).put(`/registry/${uscc(111)}`, registryEntry());
    enterprise = await stack.as({ sub: 'clerk-111', role: 'enterprise', uscc: uscc(111) });
  });
  afterAll(() => stack.stop());

  it('answers every payload to /quotes and /applications without a server error', async () => {
    let accepted = 0;
    let key = 0;
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const raw = JSON.stringify(payload) ?? 'null';
        const quote = await enterprise.request('POST', '/quotes', raw);
        expect(quote.status).toBeLessThan(500);
        const submitted = await enterprise.request('POST', '/applications', raw, { 'idempotency-key': `fuzz-${String(++key).padStart(8, '0')}` });
        expect(submitted.status).toBeLessThan(500);
        if (submitted.status === 201) accepted++;
        else expect(submitted.body.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 1500 },
    );
    // Only the accepted ones were stored.
    let stored = 0;
    let nextToken: string | undefined;
    do {
      const { body } = await enterprise.get(`/applications?limit=100${nextToken ? `&nextToken=${nextToken}` : ''}`);
      stored += body.items.length;
      nextToken = body.nextToken;
    } while (nextToken);
    expect(stored).toBe(accepted);
  });

  it('answers identical concurrent submissions with one application', async () => {
    const body = platformAward('FUZZ-IDEM');
    const answers = await Promise.all(Array.from({ length: 10 }, () => enterprise.post('/applications', body, { 'idempotency-key': 'same-key-for-all' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });
});
