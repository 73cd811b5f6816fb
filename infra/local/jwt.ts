import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CryptoKey, type JWK, type JWTPayload, SignJWT, createRemoteJWKSet, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';

/** The local stack's token issuer: stands in for the OIDC provider the API trusts in AWS. */
export const LOCAL_ISSUER = 'urn:jcg-subsidy:local-issuer';
export const LOCAL_AUDIENCE = 'jcg-subsidy';
const ALGORITHM = 'ES256';
/** Bounded clock skew between the issuer and the gateway. */
const CLOCK_TOLERANCE_SECONDS = 30;

export interface LocalKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** The local signing key pair, generated on first start and kept (private key readable by the owner only). */
export async function loadOrCreateKeys(dir: string): Promise<LocalKeys> {
  const file = path.join(dir, 'local-issuer.jwk.json');
  if (!existsSync(file)) {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    mkdirSync(dir, { recursive: true });
    const jwks = { private: await exportJWK(privateKey), public: await exportJWK(publicKey) };
    writeFileSync(file, JSON.stringify({ ...jwks, kid: `local-${Date.now()}` }), { mode: 0o600, flag: 'wx' });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { private: JWK; public: JWK; kid: string };
  return {
    privateKey: (await importJWK(stored.private, ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(stored.public, ALGORITHM)) as CryptoKey,
    publicJwk: { ...stored.public, kid: stored.kid, alg: ALGORITHM, use: 'sig' },
  };
}

export interface TokenClaims {
  sub: string;
  role: string;
  uscc?: string;
  dept?: string;
}

export async function signToken(keys: LocalKeys, claims: TokenClaims, ttlSeconds = 8 * 3600): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALGORITHM, kid: keys.publicJwk.kid!, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keys.privateKey);
}

/** Verifies as API Gateway's JWT authorizer does: signature, issuer, audience, exp and nbf. */
export async function verifyToken(keys: LocalKeys, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, keys.publicKey, {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    algorithms: [ALGORITHM],
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: ['exp', 'sub'],
  });
  return payload;
}

/** An OIDC provider the local stack trusts besides its own issuer (as the API Gateway JWT authorizer trusts one in AWS). */
export interface TrustedIssuer {
  issuer: string;
  audience: string;
  /** The console's public client at this provider. */
  clientId: string;
}

/**
 * Verifies tokens of an OIDC provider as API Gateway's JWT authorizer does: keys from the jwks_uri of
 * its discovery document, then issuer, audience, exp and nbf.
 */
export function remoteVerifier(trusted: TrustedIssuer): (token: string) => Promise<JWTPayload> {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  return async (token) => {
    if (!keys) {
      const discovery = await fetch(new URL('.well-known/openid-configuration', trusted.issuer.endsWith('/') ? trusted.issuer : `${trusted.issuer}/`));
      if (!discovery.ok) throw new Error(`OIDC discovery of ${trusted.issuer}: ${discovery.status}`);
      keys = createRemoteJWKSet(new URL(((await discovery.json()) as { jwks_uri: string }).jwks_uri));
    }
    const { payload } = await jwtVerify(token, keys, {
      issuer: trusted.issuer,
      audience: trusted.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  };
}

/** The local stand-in for the HMAC secret that AWS keeps in Secrets Manager: made once, kept with the keys. */
export function loadOrCreatePersonKeySecret(dir: string): string {
  return loadOrCreateSecret(dir, 'person-key.secret');
}

/** A random secret kept in `dir/file` (mode 600), made on first use: the local stand-in for Secrets Manager. */
export function loadOrCreateSecret(dir: string, file: string): string {
  const at = path.join(dir, file);
  if (!existsSync(at)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(at, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(at, 'utf8');
}
