import { describe, expect, it } from 'vitest';
import { checkResponse, endpointFor } from '../support/local-stack.js';

describe('the e2e response check', () => {
  it('finds the endpoint by method and path template, ignoring the query', () => {
    expect(endpointFor('GET', '/health')?.[0]).toBe('health');
    expect(endpointFor('POST', '/workflow-failures/01ARZ3NDEKTSV4RRFFQ69G5FAV/redrive?x=1')?.[0]).toBe('redriveWorkflow');
    expect(endpointFor('DELETE', '/health')).toBeUndefined();
  });

  it('accepts a body that matches the declared schema and fails one that does not, naming the field', () => {
    expect(() => checkResponse('GET', '/health', 200, { status: 'ok' })).not.toThrow();
    expect(() => checkResponse('GET', '/health', 200, { status: 'up' })).toThrow(/health .* does not match its schema: .*"status"/);
  });

  it('fails a 2xx from a route the API does not declare, and leaves errors and the local stack’s own routes alone', () => {
    expect(() => checkResponse('GET', '/no-such-route', 200, {})).toThrow(/no endpoint in ENDPOINTS/);
    expect(() => checkResponse('GET', '/health', 503, { anything: true })).not.toThrow();
    expect(() => checkResponse('GET', '/local/event-failures', 200, [])).not.toThrow();
  });
});
