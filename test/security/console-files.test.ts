import { readdirSync } from 'node:fs';
import { type Server, createServer, request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../infra/console.js';
import { serveConsole } from '../../infra/local/console-files.js';
import type { TrustedIssuer } from '../../infra/local/jwt.js';

/** The local stack's console files: only the build folder, with the same headers CloudFront sends. */
describe('console files', () => {
  let server: Server;
  let base = '';
  let oidc: TrustedIssuer | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (!serveConsole(req, res, pathname, oidc)) res.writeHead(404).end('not the console');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A request with the path sent exactly as written (fetch would normalise the dots away). */
  function raw(method: string, rawPath: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${base}/`, { method, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the page at / with a self-only Content-Security-Policy and no framing', async () => {
    const page = await raw('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'; script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self';");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed bundles as immutable', async () => {
    const bundle = readdirSync(path.join(CONSOLE_DIST, 'assets')).find((name) => name.endsWith('.js'))!;
    const response = await raw('GET', `/assets/${bundle}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/javascript');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  // Each names a file that exists (console/vite.config.ts, the project's package.json). URL parsing drops
  // plain and %2e dot segments, as the gateway's does; encoded slashes survive it, and the folder check stops them.
  it.each(['/../vite.config.ts', '/%2e%2e/vite.config.ts', '/assets/..%2f..%2fvite.config.ts', '/%2e%2e/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/%2e%2e/infra/local/jwt.ts'])(
    'serves nothing outside the build folder: %s',
    async (rawPath) => {
      const response = await raw('GET', rawPath);
      expect(response.status).toBe(404);
      expect(response.body).toBe('not the console');
    },
  );

  it('answers only GET and HEAD', async () => {
    expect((await raw('POST', '/')).status).toBe(404);
    expect((await raw('HEAD', '/')).status).toBe(200);
  });

  it('tells the console how to sign in: the local issuer, or the OIDC provider the stack trusts', async () => {
    oidc = undefined;
    expect(JSON.parse((await raw('GET', '/console-config.json')).body)).toEqual({ signIn: 'local' });
    oidc = { issuer: 'https://login.example.gov.cn/realms/jcg', audience: 'jcg-subsidy', clientId: 'jcg-console' };
    const response = await raw('GET', '/console-config.json');
    expect(JSON.parse(response.body)).toEqual({ signIn: 'oidc', issuer: oidc.issuer, clientId: 'jcg-console' });
    expect(response.headers['content-security-policy']).toContain("connect-src 'self' https://login.example.gov.cn;");
    oidc = undefined;
  });
});
