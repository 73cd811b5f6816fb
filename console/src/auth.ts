import * as oauth from 'oauth4webapi';
import { Store } from './store';

export type Role = 'enterprise' | 'reviewer' | 'finance' | 'admin';
export interface Claims {
  sub: string;
  role: Role;
  uscc?: string;
  dept?: string;
  name?: string;
  exp?: number;
}
export interface Session {
  token: string;
  claims: Claims;
  /** From the OIDC provider, to renew the token before it expires. */
  refreshToken?: string;
}

/**
 * How this console signs people in, from /console-config.json: the local stack's token issuer, or in
 * AWS the OIDC provider the API trusts (authorization code with PKCE; a public client, no secret).
 */
export type ConsoleConfig =
  | { signIn: 'local' }
  | { signIn: 'oidc'; issuer: string; clientId: string; scope?: string; token?: 'access_token' | 'id_token' };

const SESSION_KEY = 'jcg.session';
const PENDING_KEY = 'jcg.oidc.pending';

/** The signed-in user. Kept in sessionStorage: closing the tab signs out (shared office computers). */
class SessionStore extends Store<Session | undefined> {
  constructor() {
    super(readStored());
  }

  signIn(token: string, refreshToken?: string): Session {
    const session = { token, claims: decodeClaims(token), ...(refreshToken ? { refreshToken } : {}) };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token, refreshToken }));
    this.set(session);
    return session;
  }

  signOut(): void {
    sessionStorage.removeItem(SESSION_KEY);
    this.set(undefined);
  }

  /** The API answered 401: the token expired or was revoked. */
  expire(): void {
    if (this.value) {
      expired.set(true);
      this.signOut();
    }
  }
}

export const expired = new Store(false);
export const session = new SessionStore();

function readStored(): Session | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as { token: string; refreshToken?: string } | null;
    if (!stored) return undefined;
    const claims = decodeClaims(stored.token);
    if (claims.exp && claims.exp * 1000 < Date.now() && !stored.refreshToken) return undefined;
    return { token: stored.token, claims, ...(stored.refreshToken ? { refreshToken: stored.refreshToken } : {}) };
  } catch {
    return undefined;
  }
}

/** Renew this long before the token expires, so that no request goes out with a token about to lapse. */
const RENEW_BEFORE_MS = 60_000;
let renewing: Promise<string | undefined> | undefined;

/** The token for the next API call: renewed with the refresh token when it is about to expire. */
export async function currentToken(): Promise<string | undefined> {
  const current = session.value;
  if (!current) return undefined;
  const expiresAt = (current.claims.exp ?? Infinity) * 1000;
  if (expiresAt - Date.now() > RENEW_BEFORE_MS || !current.refreshToken || loadedConfig?.signIn !== 'oidc') return current.token;
  renewing ??= renew(loadedConfig, current.refreshToken).finally(() => (renewing = undefined));
  return renewing;
}

async function renew(config: Extract<ConsoleConfig, { signIn: 'oidc' }>, refreshToken: string): Promise<string | undefined> {
  try {
    const as = await authorizationServer(config);
    const client = { client_id: config.clientId };
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, transport(new URL(config.issuer)));
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    const token = config.token === 'id_token' ? tokens.id_token : tokens.access_token;
    if (!token) throw new Error('no token');
    // Providers may rotate the refresh token; keep the old one when they do not.
    return session.signIn(token, tokens.refresh_token ?? refreshToken).token;
  } catch {
    // The provider's session ended: the person signs in again.
    session.expire();
    return undefined;
  }
}

/** Reads the claims for display only; the API verifies the token. */
export function decodeClaims(token: string): Claims {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  return JSON.parse(json) as Claims;
}

let loadedConfig: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('./console-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`console-config.json: ${response.status}`);
  loadedConfig = (await response.json()) as ConsoleConfig;
  return loadedConfig;
}

/** Local stack only: a token for the chosen role from the local issuer. */
export async function signInLocally(claims: { role: Role; uscc?: string; dept?: string; sub?: string }): Promise<Session> {
  const response = await fetch('./local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `登录失败（${response.status}）`), { issues: body?.error?.issues ?? [] });
  return session.signIn(body.token);
}

const redirectUri = () => `${location.origin}${location.pathname}`;

/** Plain HTTP only for a provider on this machine (a development provider); everything else is HTTPS. */
function transport(issuer: URL) {
  const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

async function authorizationServer(config: Extract<ConsoleConfig, { signIn: 'oidc' }>) {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...transport(issuer) }));
}

/** Sends the browser to the provider's login page (authorization code + PKCE S256). */
export async function startOidcSignIn(config: Extract<ConsoleConfig, { signIn: 'oidc' }>): Promise<void> {
  const as = await authorizationServer(config);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ codeVerifier, state, hash: location.hash }));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope ?? 'openid profile');
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  location.assign(url.href);
}

/** Back from the provider with ?code=…: exchanges the code for tokens and signs in. */
export async function completeOidcSignIn(config: Extract<ConsoleConfig, { signIn: 'oidc' }>): Promise<Session | undefined> {
  const current = new URL(location.href);
  if (!current.searchParams.has('code') && !current.searchParams.has('error')) return undefined;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { codeVerifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${redirectUri()}${pending?.hash ?? ''}`);
  if (!pending) throw new Error('登录状态已失效，请重新登录');
  const as = await authorizationServer(config);
  const client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.codeVerifier, transport(new URL(config.issuer)));
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  const token = config.token === 'id_token' ? tokens.id_token : tokens.access_token;
  if (!token) throw new Error('登录服务未返回令牌');
  return session.signIn(token, tokens.refresh_token);
}
