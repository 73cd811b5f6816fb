import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { DEPARTMENTS } from '../domain/vocabulary.js';
import { Uscc } from '../../schemas/common.js';
import { ApiError } from './errors.js';

/**
 * A subject as identity providers issue them (UUIDs, opaque ids). API Gateway's JWT authorizer hands
 * every claim over as a string, so an object or array `sub` arrives stringified ("[object Object]",
 * "[a b]", "{a=1}"): brackets, braces and spaces are refused, and with them any non-string sub.
 */
const Subject = z.string().regex(/^[A-Za-z0-9._@:|+-]{1,255}$/, { error: '令牌的 sub 须为非空字符串标识' });

/** Who is calling, from the claims the JWT authorizer verified. */
export const Principal = z.discriminatedUnion('role', [
  z.object({ role: z.literal('enterprise'), sub: Subject, uscc: Uscc }),
  z.object({ role: z.literal('reviewer'), sub: Subject, dept: z.enum(DEPARTMENTS) }),
  z.object({ role: z.literal('finance'), sub: Subject }),
  z.object({ role: z.literal('admin'), sub: Subject }),
]);
export type Principal = z.infer<typeof Principal>;

const seconds = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/**
 * What API Gateway's authorizer does not check, checked where the handler reads the claims (so it holds
 * in AWS as locally): a token may live at most TOKEN_MAX_LIFETIME_SECONDS (default 12 h) from its
 * `iat`, and may not be issued in the future beyond the clock skew (TOKEN_CLOCK_SKEW_SECONDS, 30 s).
 */
function checkLifetime(claims: Record<string, unknown>, now = Date.now() / 1000): void {
  const iat = Number(claims.iat);
  const exp = Number(claims.exp);
  if (claims.iat === undefined || !Number.isFinite(iat) || !Number.isFinite(exp)) {
    throw new ApiError('UNAUTHENTICATED', '令牌须带签发时间（iat）与过期时间（exp）');
  }
  const maxLifetime = seconds('TOKEN_MAX_LIFETIME_SECONDS', 12 * 3600);
  if (exp - iat > maxLifetime) throw new ApiError('UNAUTHENTICATED', `令牌有效期不能超过 ${maxLifetime} 秒`);
  if (iat > now + seconds('TOKEN_CLOCK_SKEW_SECONDS', 30)) throw new ApiError('UNAUTHENTICATED', '令牌的签发时间在未来');
}

export function principalOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Principal {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) throw new ApiError('UNAUTHENTICATED', '缺少有效的访问令牌');
  checkLifetime(claims);
  const parsed = Principal.safeParse(claims);
  if (!parsed.success) throw new ApiError('FORBIDDEN', '令牌中的角色或主体信息无效');
  return parsed.data;
}
