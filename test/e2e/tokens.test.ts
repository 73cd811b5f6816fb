import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(await status(await sign((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime(now - 10)))).toBe(200);
  });
});
