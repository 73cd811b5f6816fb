import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { principalOf } from '../../functions/http/principal.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKeys } from '../../infra/local/jwt.js';
import { uscc } from '../support/fixtures.js';
import { LocalStackProcess } from '../support/local-stack.js';

/** The gateway accepts only tokens the local issuer signed, for this audience, within their validity. */
describe('bearer tokens', () => {
  const stack = new LocalStackProcess({ inMemory: true });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  const claims = { sub: 'clerk-1', role: 'enterprise', uscc: uscc(1) };
  const now = Math.floor(Date.now() / 1000);
  const sign = (build: (jwt: SignJWT) => SignJWT, key = stack.keys.privateKey) =>
    build(new SignJWT(claims).setProtectedHeader({ alg: 'ES256' })).sign(key);
  const status = async (token: string) =>
    (await fetch(`${stack.url}/applications`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('accepts a valid token', async () => {
    expect(await status(await stack.token(claims))).toBe(200);
  });

  it.each([
    ['unsigned (alg: none)', () => new UnsecuredJWT(claims).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').encode()],
    ['tampered', async () => {
      const token = await stack.token(claims);
      const [header, , signature] = token.split('.');
      const payload = Buffer.from(JSON.stringify({ ...claims, role: 'admin', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: now + 3600 })).toString('base64url');
      return `${header}.${payload}.${signature}`;
    }],
    ['expired', () => sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt(now - 7200).setExpirationTime(now - 3600))],
    ['expired beyond the allowed skew by one minute', () => sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime(now - 90))],
    ['not yet valid', () => sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setNotBefore(now + 3600).setExpirationTime(now + 7200))],
    ['from another issuer', () => sign((j) => j.setIssuer('https://evil.example').setAudience(LOCAL_AUDIENCE).setExpirationTime('1h'))],
    ['for another audience', () => sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience('other-api').setExpirationTime('1h'))],
    ['without an expiry', () => sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE))],
    ['signed by another key', async () => {
      const other = await loadOrCreateKeys(mkdtempSync(path.join(tmpdir(), 'jcg-other-key-')));
      return sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h'), other.privateKey);
    }],
    ['not a JWT', () => 'not-a-token'],
  ])('refuses a token that is %s with 401', async (_what, make) => {
    const response = await fetch(`${stack.url}/applications`, { headers: { authorization: `Bearer ${await make()}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('tolerates a clock skew of under 30 seconds', async () => {
    const at = Math.floor(Date.now() / 1000);
    expect(await status(await sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt(at - 3600).setExpirationTime(at - 10)))).toBe(200);
    expect(await status(await sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt(at + 10).setExpirationTime(at + 3600)))).toBe(200);
  });

  const signed = (payload: Record<string, unknown>, iat: number | undefined, exp: number) => {
    const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime(exp);
    return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(stack.keys.privateKey);
  };

  it.each([
    ['a sub that is an object', { ...claims, sub: { id: 'clerk-1' } }],
    ['a sub that is an array', { ...claims, sub: ['clerk-1', 'clerk-2'] }],
    ['an empty sub', { ...claims, sub: '' }],
    ['a sub with spaces', { ...claims, sub: 'clerk 1' }],
  ])('refuses a signed token with %s (403)', async (_what, payload) => {
    const response = await fetch(`${stack.url}/applications`, { headers: { authorization: `Bearer ${await signed(payload, now, now + 3600)}` } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it.each([
    ['living longer than 12 hours', now, now + 12 * 3600 + 60],
    ['issued 10 minutes in the future', now + 600, now + 3600],
    ['without an issue time', undefined, now + 3600],
  ])('refuses a signed token %s with 401', async (_what, iat, exp) => {
    const response = await fetch(`${stack.url}/applications`, { headers: { authorization: `Bearer ${await signed(claims, iat, exp)}` } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('accepts a lifetime of exactly 12 hours', async () => {
    expect(await status(await signed(claims, now, now + 12 * 3600))).toBe(200);
  });
});

/**
 * In AWS the JWT authorizer checks signature, issuer, audience and expiry, and hands every claim to
 * Lambda as a string. The rest is checked by the handler itself: shown here on such an event.
 */
describe('claims as API Gateway hands them to the handler', () => {
  const now = Math.floor(Date.now() / 1000);
  const event = (claims: Record<string, string>) =>
    ({ requestContext: { authorizer: { jwt: { claims, scopes: null } } } }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  const valid = { sub: 'clerk-1', role: 'enterprise', uscc: uscc(1), iat: String(now), exp: String(now + 3600) };
  const refused = (claims: Record<string, string>) => {
    try {
      principalOf(event(claims));
      return undefined;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('accepts a well-formed token', () => {
    expect(principalOf(event(valid))).toEqual({ role: 'enterprise', sub: 'clerk-1', uscc: uscc(1) });
  });

  it.each([
    ['an object sub, stringified', { ...valid, sub: '[object Object]' }, 'FORBIDDEN'],
    ['an array sub, as the authorizer renders it', { ...valid, sub: '[clerk-1 clerk-2]' }, 'FORBIDDEN'],
    ['a map sub, as the authorizer renders it', { ...valid, sub: '{id=clerk-1}' }, 'FORBIDDEN'],
    ['a lifetime over 12 hours', { ...valid, exp: String(now + 13 * 3600) }, 'UNAUTHENTICATED'],
    ['an iat in the future', { ...valid, iat: String(now + 120), exp: String(now + 3600) }, 'UNAUTHENTICATED'],
    ['no iat', { sub: 'clerk-1', role: 'enterprise', uscc: uscc(1), exp: String(now + 3600) }, 'UNAUTHENTICATED'],
  ])('refuses %s', (_what, claims, code) => {
    expect(refused(claims)).toBe(code);
  });

  it('takes the maximum lifetime from TOKEN_MAX_LIFETIME_SECONDS', () => {
    process.env.TOKEN_MAX_LIFETIME_SECONDS = '600';
    try {
      expect(refused(valid)).toBe('UNAUTHENTICATED');
      expect(refused({ ...valid, exp: String(now + 600) })).toBeUndefined();
    } finally {
      delete process.env.TOKEN_MAX_LIFETIME_SECONDS;
    }
  });
});
