import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { CONSOLE_DIST, CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy } from '../console.js';
import type { TrustedIssuer } from './jwt.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.json': 'application/json',
};

/**
 * How the console signs in: with the local issuer, or with the OIDC provider the stack was started with
 * (as in AWS, where this file is deployed with the provider's settings).
 */
function consoleConfig(oidc: TrustedIssuer | undefined): string {
  return JSON.stringify(oidc ? { signIn: 'oidc', issuer: oidc.issuer, clientId: oidc.clientId } : { signIn: 'local' });
}

/**
 * Serves the built console as S3 + CloudFront would: files under console/dist, `/` as index.html, the
 * same security headers. Answers false when the path is not the console's, so the API can answer it.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, pathname: string, oidc?: TrustedIssuer, connectOrigins: readonly string[] = []): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const signInOrigins = oidc ? [new URL(oidc.issuer).origin] : [];
  // connectOrigins: the local S3 endpoint, which the console posts documents to (AWS: the bucket's regional endpoint).
  const headers = { ...CONSOLE_SECURITY_HEADERS, 'content-security-policy': consoleContentSecurityPolicy([...signInOrigins, ...connectOrigins]) };
  if (pathname === '/console-config.json') {
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(consoleConfig(oidc));
    return true;
  }
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(CONSOLE_DIST, relative);
  // Nothing outside the build folder, whatever the path says.
  if (!file.startsWith(CONSOLE_DIST + path.sep)) return false;
  const stat = existsSync(file) ? statSync(file) : undefined;
  if (!stat?.isFile()) {
    if (pathname !== '/') return false;
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('控制台尚未构建：请运行 npm run build（npm start 会先构建）。\n');
    return true;
  }
  const hashed = relative.startsWith('assets/');
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': String(stat.size),
    // Hashed bundles never change; the page itself is always checked, so a new build is seen at once.
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}
