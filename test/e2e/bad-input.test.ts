import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUOTAS } from '../../infra/local/quotas.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { ApiClient, LocalStackProcess } from '../support/local-stack.js';

/** Every route of the slice answers bad input with the contract's 4xx — never a 500, never a stored record. */
describe('bad input on the vertical slice', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  const enterpriseUscc = uscc(21);
  let enterprise: ApiClient;
  let admin: ApiClient;
  let park: ApiClient;

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    enterprise = await stack.as({ sub: 'clerk-21', role: 'enterprise', uscc: enterpriseUscc });
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    await admin.put(`/registry/${enterpriseUscc}`, registryEntry());
  });
  afterAll(() => stack.stop());

  const key = { 'idempotency-key': 'bad-input-0001' };
  const valid = platformAward('LAB-BAD');

  const cases: [string, () => Promise<{ status: number; body: any }>, number, string, string?][] = [
    ['malformed JSON', () => enterprise.request('POST', '/applications', '{"programId":', key), 400, 'VALIDATION_ERROR'],
    ['a body that is not JSON', () => enterprise.request('POST', '/applications', 'programId=x', { ...key, 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an unknown program', () => enterprise.post('/applications', { programId: 'free-money', details: {} }, key), 400, 'VALIDATION_ERROR', 'programId'],
    ['a missing field', () => enterprise.post('/applications', { programId: 'platform-award', details: { ...valid.details, approvedOn: undefined } }, key), 400, 'VALIDATION_ERROR', 'details.approvedOn'],
    ['a wrong type', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, platformId: 42 } }, key), 400, 'VALIDATION_ERROR', 'details.platformId'],
    ['money as a JSON number', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, kind: 'incubator-assessment', provincialAmount: 100000, assessmentYear: 2025 } }, key), 400, 'VALIDATION_ERROR', 'details.provincialAmount'],
    ['money with 3 decimals', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, kind: 'incubator-assessment', provincialAmount: '1.234', assessmentYear: 2025 } }, key), 400, 'VALIDATION_ERROR', 'details.provincialAmount'],
    ['an impossible date', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, approvedOn: '2025-02-30' } }, key), 400, 'VALIDATION_ERROR', 'details.approvedOn'],
    ['an unknown kind', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, kind: 'galactic-lab' } }, key), 400, 'VALIDATION_ERROR', 'details.kind'],
    ['an unknown field', () => enterprise.post('/applications', { ...valid, details: { ...valid.details, bonus: '1.00' } }, key), 400, 'VALIDATION_ERROR', 'details'],
    ['no Idempotency-Key', () => enterprise.post('/applications', valid), 400, 'VALIDATION_ERROR', 'headers.idempotency-key'],
    ['no token', () => new ApiClient(stack, undefined).post('/applications', valid, key), 401, 'UNAUTHENTICATED'],
    ['a token signed by another key', () => new ApiClient(stack, `${''}eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`).post('/applications', valid, key), 401, 'UNAUTHENTICATED'],
    ['the wrong role', () => park.post('/applications', valid, key), 403, 'FORBIDDEN'],
    ['a registry entry with a bad USCC', () => admin.put('/registry/91140500MA0K000210', registryEntry()), 400, 'VALIDATION_ERROR', 'path.uscc'],
    ['a registry entry from an enterprise', () => enterprise.put(`/registry/${enterpriseUscc}`, registryEntry()), 403, 'FORBIDDEN'],
    ['a registry entry without a bank account', () => admin.put(`/registry/${uscc(22)}`, { name: 'x', joinedOn: '2025-01-01' }), 400, 'VALIDATION_ERROR', 'bankAccount'],
    ['an application id that is not one', () => enterprise.get('/applications/not-an-id'), 400, 'VALIDATION_ERROR', 'path.id'],
    ['an application that does not exist', () => enterprise.get('/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404, 'NOT_FOUND'],
    ['events of an application that does not exist', () => enterprise.get('/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV/events'), 404, 'NOT_FOUND'],
    ['a filter with an unknown status', () => enterprise.get('/applications?status=PENDING'), 400, 'VALIDATION_ERROR', 'query.status'],
    ['a forged page token', () => enterprise.get(`/applications?nextToken=${Buffer.from(JSON.stringify({ GSI1PK: 'ENTERPRISE#x' })).toString('base64url')}`), 400, 'VALIDATION_ERROR', 'query.nextToken'],
    ['tasks for an enterprise', () => enterprise.get('/tasks'), 403, 'FORBIDDEN'],
    ['a decision on a task that does not exist', () => park.post(`/tasks/${'0'.repeat(32)}/decision`, { decision: 'approve' }), 404, 'NOT_FOUND'],
    ['a decision that is not one', () => park.post(`/tasks/${'0'.repeat(32)}/decision`, { decision: 'maybe' }), 400, 'VALIDATION_ERROR', 'decision'],
    ['a decision by an enterprise', () => enterprise.post(`/tasks/${'0'.repeat(32)}/decision`, { decision: 'approve' }), 403, 'FORBIDDEN'],
    ['an unknown route', () => enterprise.get('/nowhere'), 404, 'NOT_FOUND'],
  ];

  it.each(cases)('%s → %i %s', async (_name, send, status, code, path) => {
    const { status: actual, body } = await send();
    expect(actual).toBe(status);
    expect(body.error.code).toBe(code);
    if (path !== undefined) expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  // The size limits in front of the handler are AWS's own, with AWS's own answers.
  const sized = (bytes: number) => enterprise.request('POST', '/applications', `{"x":"${'a'.repeat(bytes - 8)}"}`, key);
  it('lets the handler refuse a 5.5 MB body with its contract 413', async () => {
    const { status, body } = await sized(5.5 * 1024 * 1024);
    expect(status).toBe(413);
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
  it('answers a body that makes a Lambda event over 6 MB with API Gateway’s 500 (Lambda refuses the invocation)', async () => {
    const { status, body } = await sized(QUOTAS.lambdaSyncRequestBytes);
    expect(status).toBe(500);
    expect(body).toEqual({ message: 'Internal Server Error' });
  });
  it('takes a body of 10 MB to the integration, and refuses one byte more with API Gateway’s 413', async () => {
    expect((await sized(QUOTAS.httpApiPayloadBytes)).status).toBe(500);
    const { status, body } = await sized(QUOTAS.httpApiPayloadBytes + 1);
    expect(status).toBe(413);
    expect(body).toEqual({ message: 'Request Entity Too Large' });
  });

  it('stored nothing for any of them', async () => {
    expect((await enterprise.get('/applications')).body.items).toEqual([]);
    expect((await park.get('/tasks')).body.items).toEqual([]);
    // The key was never consumed: the same key now submits normally.
    expect((await enterprise.post('/applications', valid, key)).status).toBe(201);
  });
});
