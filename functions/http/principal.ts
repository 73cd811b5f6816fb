import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { DEPARTMENTS } from '../../schemas/api.js';
import { Uscc } from '../../schemas/common.js';
import { ApiError } from './errors.js';

/** Who is calling, from the claims the JWT authorizer verified. */
export const Principal = z.discriminatedUnion('role', [
  z.object({ role: z.literal('enterprise'), sub: z.string().min(1), uscc: Uscc }),
  z.object({ role: z.literal('reviewer'), sub: z.string().min(1), dept: z.enum(DEPARTMENTS) }),
  z.object({ role: z.literal('finance'), sub: z.string().min(1) }),
  z.object({ role: z.literal('admin'), sub: z.string().min(1) }),
]);
export type Principal = z.infer<typeof Principal>;

export function principalOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Principal {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) throw new ApiError('UNAUTHENTICATED', '缺少有效的访问令牌');
  const parsed = Principal.safeParse(claims);
  if (!parsed.success) throw new ApiError('FORBIDDEN', '令牌中的角色或主体信息无效');
  return parsed.data;
}
