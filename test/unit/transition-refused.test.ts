import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../schemas/api.js';
import { TransitionRefused } from '../../functions/domain/lifecycle.js';
import { apiHandler, route } from '../../functions/http/route.js';

/** A transition the lifecycle refuses reaches the caller as the contract's 409, never a 500. */
describe('a refused transition at the API', () => {
  it('answers 409 CONFLICT with the status that refused it', async () => {
    const handler = apiHandler([
      route(ENDPOINTS.withdrawApplication, async () => {
        throw new TransitionRefused('withdraw', 'APPROVED');
      }),
    ]);
    const now = Math.floor(Date.now() / 1000);
    const event = {
      version: '2.0',
      routeKey: 'POST /applications/{id}/withdraw',
      rawPath: '/applications/01JCG0000000000000000000Z9/withdraw',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { id: '01JCG0000000000000000000Z9' },
      body: '{}',
      isBase64Encoded: false,
      requestContext: {
        requestId: 'r-1',
        routeKey: 'POST /applications/{id}/withdraw',
        http: { method: 'POST', path: '/applications/01JCG0000000000000000000Z9/withdraw' },
        authorizer: { jwt: { claims: { sub: 'clerk-1', role: 'enterprise', uscc: '91140500MA0K00001U', iat: String(now), exp: String(now + 600) }, scopes: [] } },
      },
    };
    const response = (await handler(event as never, { functionName: 'test', awsRequestId: 'r-1' } as never)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'CONFLICT', message: '申请状态为“已批准”，不能执行此操作' } });
  });
});
