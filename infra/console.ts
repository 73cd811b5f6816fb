import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENDPOINTS } from '../schemas/api.js';

/** The built web console (`npm run build`): served at `/` by the local stack, deployed to S3 behind CloudFront. */
export const CONSOLE_DIST = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'console', 'dist');

/**
 * The console's Content-Security-Policy: its own origin only (the console bundles everything), plus the
 * OIDC provider it signs in with. The same policy is sent by the local stack and by CloudFront.
 */
export function consoleContentSecurityPolicy(signInOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    `connect-src 'self'${signInOrigins.map((origin) => ` ${origin}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export const CONSOLE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/**
 * The API's top-level paths as CloudFront path patterns: the console and the API share one origin, so
 * the console calls relative paths and needs no CORS. The console itself uses hash routes only.
 */
export const API_PATH_PATTERNS: readonly string[] = [
  ...new Set(Object.values(ENDPOINTS).map((endpoint) => `/${endpoint.path.split('/')[1]}*`)),
].sort();
