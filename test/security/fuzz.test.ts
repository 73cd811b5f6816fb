import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, type Endpoint } from '../../schemas/api.js';
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

const encodable = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined; // a lone surrogate: not a string a client can send
  }
};

/** Hostile raw bodies: null, arrays, numbers beyond any range, deep nesting, and any JSON. */
const hostileBodies = fc.oneof(
  fc.constantFrom('null', '[]', '[null]', '""', '0', 'true', '1e309', '-1e309', '1'.repeat(400), '{"programId":1e400}', '{"details":{"amount":123456789012345678901234567890}}'),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.array(fc.jsonValue()).map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
);
/** Path ids with odd characters (well-formed %-encoding; malformed encoding is the gateway's own test). */
const oddIds = fc.oneof(
  fc.constantFrom('..', '.', '%', ' ', '\u0000', '../../etc/passwd', 'a'.repeat(3000), '01ARZ3NDEKTSV4RRFFQ69G5FAV\n', '０１ＡＲＺ', '😀', '__proto__', 'constructor'),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
).map((id) => encodable(id) ?? 'x');
const queryStrings = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom('limit', 'nextToken', 'status', 'programId', 'stage', 'format'), fc.string({ maxLength: 10 })), fc.oneof(fc.constantFrom('-1', '0', '1e9', 'NaN', '[]', '1000000000000000000000'), fc.string({ maxLength: 80 }))), { maxLength: 4 })
  .map((pairs) => pairs.map(([key, value]) => `${encodable(key) ?? 'k'}=${encodable(value) ?? 'v'}`).join('&'));

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

  it('answers hostile bodies, query strings and path ids on every route without a server error', async () => {
    const clients: Record<string, ApiClient> = {
      enterprise,
      reviewer: await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' }),
      finance: await stack.as({ sub: 'finance-1', role: 'finance' }),
      admin: await stack.as({ sub: 'admin-1', role: 'admin' }),
    };
    const endpoints = (Object.values(ENDPOINTS) as Endpoint[]).filter((e) => e.roles !== 'public');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), oddIds, queryStrings, hostileBodies, async (endpoint, id, query, body) => {
        const client = clients[endpoint.roles[0]!]!;
        const path = endpoint.path.replace(/\{\w+\}/g, id);
        const withBody = endpoint.method === 'POST' || endpoint.method === 'PUT';
        // Raw fetch: a path like /batches/.. is normalised by the client and may reach the console's HTML.
        const response = await fetch(`${stack.url}${path}${query ? `?${query}` : ''}`, {
          method: endpoint.method,
          headers: { authorization: `Bearer ${client.token}`, 'idempotency-key': 'fuzz-every-route', ...(withBody ? { 'content-type': 'application/json' } : {}) },
          ...(withBody ? { body } : {}),
        });
        const text = await response.text();
        expect(response.status, `${endpoint.method} ${path}?${query} ${withBody ? body.slice(0, 80) : ''} → ${text.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 600 },
    );
  });

  it('answers identical concurrent submissions with one application', async () => {
    const body = platformAward('FUZZ-IDEM');
    const answers = await Promise.all(Array.from({ length: 10 }, () => enterprise.post('/applications', body, { 'idempotency-key': 'same-key-for-all' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
  });
});
