import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
}

/**
 * A small OIDC provider on loopback for the browser tests: discovery, JWKS, an authorization endpoint
 * that signs the configured person in at once, and a token endpoint that checks PKCE (S256) as a real
 * provider does. Its access tokens carry the claims the API reads (role, dept or uscc).
 */
export class TestOidcProvider {
  url = '';
  /** What the authorization endpoint was asked, for the test to check. */
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly tokenRequests: { verified: boolean }[] = [];
  readonly refreshRequests: string[] = [];
  #server?: Server;
  #key!: { privateKey: CryptoKey; publicJwk: JWK };
  #codes = new Map<string, PendingCode>();
  #refreshTokens = new Set<string>();

  constructor(
    /** accessTokenSeconds: how long its access tokens last (short ones make the console renew them). */
    readonly options: { clientId: string; audience: string; person: Record<string, string>; accessTokenSeconds?: number },
  ) {}

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    this.#key = { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' } };
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error) => res.writeHead(500).end(String(error)));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** A token of this provider, as its token endpoint would issue it. */
  accessToken(claims: Record<string, string> = this.options.person, audience = this.options.audience): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test-1' })
      .setIssuer(this.url)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${this.options.accessTokenSeconds ?? 3600}s`)
      .sign(this.#key.privateKey);
  }

  #refreshToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.#refreshTokens.add(token);
    return token;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    // The console calls discovery and the token endpoint from its own origin.
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, dpop' };
    const json = (status: number, body: unknown): void => void res.writeHead(status, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    if (req.method === 'OPTIONS') return void res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST' }).end();

    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.url,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        jwks_uri: `${this.url}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['ES256'],
        subject_types_supported: ['public'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [this.#key.publicJwk] });

    if (url.pathname === '/authorize') {
      const query = url.searchParams;
      this.authorizeRequests.push(query);
      if (query.get('client_id') !== this.options.clientId) return void res.writeHead(400).end('unknown client');
      if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
        return void res.writeHead(400).end('authorization code with PKCE S256 only');
      }
      const code = randomBytes(16).toString('hex');
      this.#codes.set(code, { clientId: query.get('client_id')!, redirectUri: query.get('redirect_uri')!, challenge: query.get('code_challenge')! });
      const back = new URL(query.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', query.get('state') ?? '');
      return void res.writeHead(302, { location: back.href }).end();
    }

    if (url.pathname === '/token' && req.method === 'POST') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const form = new URLSearchParams(text);
      if (form.get('grant_type') === 'refresh_token') {
        // Rotating refresh tokens: each is good once.
        const presented = form.get('refresh_token') ?? '';
        this.refreshRequests.push(presented);
        if (!this.#refreshTokens.delete(presented) || form.get('client_id') !== this.options.clientId) return json(400, { error: 'invalid_grant' });
        return json(200, { access_token: await this.accessToken(), refresh_token: this.#refreshToken(), token_type: 'Bearer', expires_in: this.options.accessTokenSeconds ?? 3600 });
      }
      const pending = this.#codes.get(form.get('code') ?? '');
      this.#codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const verified = !!pending && createHash('sha256').update(verifier).digest('base64url') === pending.challenge;
      this.tokenRequests.push({ verified });
      if (!pending || !verified || form.get('redirect_uri') !== pending.redirectUri || form.get('client_id') !== pending.clientId) {
        return json(400, { error: 'invalid_grant' });
      }
      const idToken = await new SignJWT({ name: this.options.person.name ?? this.options.person.sub })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-1' })
        .setIssuer(this.url)
        .setAudience(this.options.clientId)
        .setSubject(this.options.person.sub!)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(this.#key.privateKey);
      return json(200, {
        access_token: await this.accessToken(),
        id_token: idToken,
        refresh_token: this.#refreshToken(),
        token_type: 'Bearer',
        expires_in: this.options.accessTokenSeconds ?? 3600,
      });
    }
    res.writeHead(404).end();
  }
}
