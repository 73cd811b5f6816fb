import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Endpoint } from '../../schemas/api.js';
import { logger } from '../logger.js';
import { PageTokenError } from '../store/pages.js';
import { TransitionRefused } from '../domain/lifecycle.js';
import { STATUS_LABELS } from '../domain/vocabulary.js';
import { ApiError, type Issue } from './errors.js';
import { type Principal, principalOf } from './principal.js';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A request after authorization and validation: every part typed by the endpoint's schemas. */
export interface Request<E extends Endpoint> {
  principal: E['roles'] extends 'public' ? undefined : Principal;
  params: Out<E['params']>;
  query: Out<E['query']>;
  headers: Out<E['headers']>;
  body: Out<E['body']>;
  /** The caller's address (per-client rate limits); see clientAddress. */
  sourceIp: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A file instead of a JSON body (sent base64-encoded, as API Gateway expects binary bodies). */
  file?: { content: Buffer; contentType: string };
}

/** Bodies above this are refused with 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** What the middlewares learned about a request, carried to the route on the Lambda context. */
interface RequestContext extends Context {
  principal?: Principal;
  validated?: { params: unknown; query: unknown; headers: unknown; body: unknown };
}

/** Checks the caller's role before anything else is read: unauthenticated callers learn nothing. */
const authorize = (endpoint: Endpoint): MiddlewareObj<Event, APIGatewayProxyResultV2, Error, RequestContext> => ({
  before: (request) => {
    if (endpoint.roles === 'public') return;
    const principal = principalOf(request.event);
    if (!endpoint.roles.includes(principal.role)) throw new ApiError('FORBIDDEN', '当前角色无权访问此接口');
    request.context.principal = principal;
  },
});

const limitBody: MiddlewareObj<Event, APIGatewayProxyResultV2, Error, RequestContext> = {
  before: ({ event }) => {
    const size = event.body ? Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : 0;
    if (size > MAX_BODY_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `请求体不能超过 ${MAX_BODY_BYTES} 字节`);
  },
};

function parsePart(schema: z.ZodType | undefined, value: unknown, prefix: string, issues: Issue[]): unknown {
  if (!schema) return undefined;
  // Only an absent part counts as empty: a JSON `null` body is checked as what it is (and refused).
  const result = schema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    issues.push({ path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.'), message: issue.message });
  }
  return undefined;
}

/** Validates path, query, headers and body with the endpoint's zod schemas, reporting every issue at once. */
const validate = (endpoint: Endpoint): MiddlewareObj<Event, APIGatewayProxyResultV2, Error, RequestContext> => ({
  before: (request) => {
    const { event } = request;
    const issues: Issue[] = [];
    const validated = {
      params: parsePart(endpoint.params, event.pathParameters, 'path', issues),
      query: parsePart(endpoint.query, event.queryStringParameters, 'query', issues),
      headers: parsePart(endpoint.headers, event.headers, 'headers', issues),
      body: endpoint.body ? parsePart(endpoint.body, event.body, '', issues) : undefined,
    };
    if (issues.length > 0) throw new ApiError('VALIDATION_ERROR', '请求参数有误', issues);
    request.context.validated = validated;
  },
});

/**
 * The caller's address. Behind CloudFront, API Gateway sees CloudFront's address; CloudFront appends the
 * viewer's to X-Forwarded-For, so its last entry is the caller's — trusted only where the stack says the
 * API is reachable through CloudFront alone (TRUST_FORWARDED_FOR, set by infra/stack.ts), since a client
 * calling the API directly could write that header itself.
 */
function clientAddress(event: Event): string {
  const forwarded = process.env.TRUST_FORWARDED_FOR === 'true' ? event.headers?.['x-forwarded-for']?.split(',').at(-1)?.trim() : undefined;
  return forwarded || event.requestContext?.http?.sourceIp || '';
}

/** One route of the API: the endpoint's contract and the function that serves it. */
export function route<E extends Endpoint>(endpoint: E, serve: (request: Request<E>) => Promise<Reply>) {
  const handler = middy<Event, APIGatewayProxyResultV2, Error, RequestContext>()
    .use(authorize(endpoint))
    .use(endpoint.body ? [limitBody, httpJsonBodyParser({})] : [])
    .use(validate(endpoint))
    .handler(async (event, context) => {
      const sourceIp = clientAddress(event);
      const reply = await serve({ ...context.validated, principal: context.principal, sourceIp } as Request<E>);
      if (reply.file) {
        return {
          statusCode: reply.status,
          headers: { 'content-type': reply.file.contentType, ...reply.headers },
          body: reply.file.content.toString('base64'),
          isBase64Encoded: true,
        };
      }
      if (reply.body === undefined) return { statusCode: reply.status, headers: reply.headers ?? {}, body: '' };
      return json(reply.status, reply.body, reply.headers);
    });
  return { method: endpoint.method, path: endpoint.path, handler };
}

/** Maps every failure to the contract's error body; unexpected ones are logged and answered 500. */
const errorResponses: MiddlewareObj<Event, APIGatewayProxyResultV2> = {
  onError: (request) => {
    const error = request.error as (Error & { statusCode?: number }) | null;
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof TransitionRefused) apiError = new ApiError('CONFLICT', `申请状态为“${STATUS_LABELS[error.status]}”，不能执行此操作`);
    else if (error instanceof PageTokenError) apiError = new ApiError('VALIDATION_ERROR', '请求参数有误', [{ path: 'query.nextToken', message: error.message }]);
    else if (error?.statusCode === 415) apiError = new ApiError('UNSUPPORTED_MEDIA_TYPE', '请求体须为 application/json');
    else if (error?.statusCode === 422) apiError = new ApiError('VALIDATION_ERROR', '请求体不是有效的 JSON', [{ path: '', message: error.message }]);
    else if (error?.statusCode === 404) apiError = new ApiError('NOT_FOUND', '接口不存在');
    else {
      logger.error('unhandled error', { error: error as Error, route: request.event.routeKey, requestId: request.event.requestContext?.requestId });
      apiError = new ApiError('INTERNAL', '服务器内部错误');
    }
    request.response = json(apiError.status, {
      error: { code: apiError.code, message: apiError.message, ...(apiError.issues ? { issues: apiError.issues } : {}) },
    });
  },
};

/** Every log line of a request carries its API Gateway request id (the correlation id) and route. */
const correlate: MiddlewareObj<Event, APIGatewayProxyResultV2> = {
  before: ({ event }) => {
    logger.setCorrelationId(event.requestContext?.requestId);
    logger.appendKeys({ route: event.routeKey });
  },
};

/** A Lambda handler for a group of routes: headers normalised, routed by method and path, errors shaped. */
export function apiHandler(routes: ReturnType<typeof route>[]) {
  return middy<Event, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlate)
    .use(httpHeaderNormalizer())
    .use(errorResponses)
    .handler(httpRouterHandler({ routes }) as never);
}
