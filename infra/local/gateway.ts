import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { API_GROUPS, API_ROUTES, type ApiGroup, type ApiRoute } from '../api-routes.js';
import { Principal } from '../../functions/http/principal.js';
import { ERROR_STATUS, type ErrorCode } from '../../functions/domain/vocabulary.js';
import { serveConsole } from './console-files.js';
import { type LocalKeys, type TrustedIssuer, remoteVerifier, signToken, verifyToken } from './jwt.js';
import { invokeHttpIntegration } from './http-integration.js';
import type { LocalLambdas } from './lambdas.js';
import { QUOTAS } from './quotas.js';


interface CompiledRoute extends ApiRoute {
  pattern: RegExp;
  names: string[];
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name) names.push(name);
      return name ? '([^/]+)' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

function errorBody(code: ErrorCode, message: string) {
  return JSON.stringify({ error: { code, message } });
}

/** Claims as the HTTP API JWT authorizer hands them to Lambda: every value a string. */
function authorizerClaims(payload: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, Array.isArray(value) ? `[${value.join(' ')}]` : String(value)]),
  );
}

/**
 * The console's sign-in on the local stack: a token from the local issuer for the role the person picks
 * (what the OIDC provider's login does in AWS). The claims are checked as the API will read them.
 */
async function localSignIn(keys: LocalKeys, text: string): Promise<{ status: number; body: unknown }> {
  let requested: Record<string, unknown>;
  try {
    requested = JSON.parse(text);
  } catch {
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: '请求体不是有效的 JSON' } } };
  }
  if (requested === null || typeof requested !== 'object' || Array.isArray(requested)) {
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: '请求体应为 JSON 对象', issues: [{ path: '', message: '应为对象' }] } } };
  }
  const label = requested.uscc ?? requested.dept ?? 'local';
  const claims = Principal.safeParse({ ...requested, sub: requested.sub || `${String(requested.role)}-${String(label)}` });
  if (!claims.success) {
    const issues = claims.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: '登录信息有误', issues } } };
  }
  return { status: 200, body: { token: await signToken(keys, claims.data) } };
}

const isLoopback = (address: string | undefined) => !!address && (/^(::ffff:)?127\./.test(address) || address === '::1');

/**
 * Why a sign-in request is refused before its body is read, if it is: another machine may not sign in
 * (403), a page of another site that rebinds its DNS name to this machine sends its own Host (421), and
 * a cross-site form can send text/plain without a preflight, but never application/json (415).
 */
function refuseSignIn(req: IncomingMessage, port: number): { code: ErrorCode; message: string } | undefined {
  if (!isLoopback(req.socket.remoteAddress)) return { code: 'FORBIDDEN', message: '本地登录只接受本机的请求' };
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!hosts.includes(String(req.headers.host ?? '').toLowerCase())) return { code: 'MISDIRECTED_REQUEST', message: '请求的主机名不是本服务' };
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { code: 'UNSUPPORTED_MEDIA_TYPE', message: '只接受 application/json' };
  return undefined;
}

/**
 * The local API Gateway: matches the API's routes, verifies the bearer JWT like the HTTP API's JWT
 * authorizer, builds the API Gateway v2 event with the claims where the authorizer puts them, and calls
 * the route group's handler.
 */
export function startGateway(options: {
  port: number;
  host?: string;
  keys: LocalKeys;
  lambdas: LocalLambdas;
  trustedIssuer?: TrustedIssuer;
  /** Origins the console may connect to besides its own (the local S3 endpoint): its CSP's connect-src. */
  connectOrigins?: readonly string[];
  /** Whether POST /local/token signs tokens (off: it does not exist, as in AWS). */
  localSignIn?: boolean;
  /** GET /local/event-failures (administrators): what the event source mappings' failure destinations hold. */
  eventFailures?: () => Promise<unknown[]>;
  /** GET /local/mail (administrators): what the local SMTP server received, parsed. */
  mail?: () => unknown[];
}): Promise<Server> {
  const routes = API_ROUTES.map(compile);
  const verifyRemote = options.trustedIssuer ? remoteVerifier(options.trustedIssuer) : undefined;
  const verify = async (token: string) => {
    try {
      return await verifyToken(options.keys, token);
    } catch (error) {
      if (!verifyRemote) throw error;
      return verifyRemote(token);
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    try {
      decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(ERROR_STATUS.BAD_REQUEST, { 'content-type': 'application/json' }).end(errorBody('BAD_REQUEST', '请求路径的 % 编码无效'));
      return;
    }
    const signIn = options.localSignIn === true && method === 'POST' && url.pathname === '/local/token';
    const refused = signIn ? refuseSignIn(req, (server.address() as { port: number }).port) : undefined;
    if (refused) {
      req.resume();
      res.writeHead(ERROR_STATUS[refused.code], { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(errorBody(refused.code, refused.message));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > QUOTAS.httpApiPayloadBytes) {
        // API Gateway's own answer, before any function runs.
        res.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      chunks.push(chunk);
    }

    if (method === 'GET' && url.pathname === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [options.keys.publicJwk] }));
      return;
    }

    // Local only, for administrators: the stand-in of the event consumers' SQS failure queues, and the
    // mail the local SMTP server received.
    const localList =
      options.eventFailures && method === 'GET' && url.pathname === '/local/event-failures' ? options.eventFailures
      : options.mail && method === 'GET' && url.pathname === '/local/mail' ? options.mail
      : undefined;
    if (localList) {
      const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const claims = token ? await verify(token).catch(() => undefined) : undefined;
      if (!claims) res.writeHead(401, { 'content-type': 'application/json' }).end(errorBody('UNAUTHENTICATED', '缺少有效的访问令牌'));
      else if (claims.role !== 'admin') res.writeHead(403, { 'content-type': 'application/json' }).end(errorBody('FORBIDDEN', '当前角色无权访问此接口'));
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: await localList() }));
      return;
    }

    if (signIn) {
      const { status, body } = await localSignIn(options.keys, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
      return;
    }

    let match: { route: CompiledRoute; values: string[] } | undefined;
    for (const route of routes) {
      const values = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (values) {
        match = { route, values: values.slice(1) };
        break;
      }
    }
    if (!match && serveConsole(req, res, url.pathname, options.trustedIssuer, options.connectOrigins)) return;
    if (!match) {
      res.writeHead(ERROR_STATUS.NOT_FOUND, { 'content-type': 'application/json' }).end(errorBody('NOT_FOUND', '接口不存在'));
      return;
    }

    let claims: Record<string, string> | undefined;
    if (!match.route.public) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer (\S+)$/i.exec(header)?.[1];
      try {
        if (!token) throw new Error('missing bearer token');
        claims = authorizerClaims(await verify(token));
      } catch {
        res.writeHead(ERROR_STATUS.UNAUTHENTICATED, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
          .end(errorBody('UNAUTHENTICATED', '缺少有效的访问令牌'));
        return;
      }
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
    const now = new Date();
    const routeKey = `${match.route.method} ${match.route.path}`;
    const body = Buffer.concat(chunks);
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(match.route.names.length
        ? { pathParameters: Object.fromEntries(match.route.names.map((name, i) => [name, decodeURIComponent(match!.values[i]!)])) }
        : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
      ...(body.length ? { body: body.toString('utf8'), isBase64Encoded: false } : { isBase64Encoded: false }),
    };

    const group: ApiGroup = match.route.group;
    const response = await invokeHttpIntegration(options.lambdas, options.lambdas.logicalIdOf(API_GROUPS[group].entry), event);
    res.writeHead(response.statusCode, response.headers).end(response.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      process.stderr.write(`gateway: ${String(error?.stack ?? error)}\n`);
      if (!res.headersSent) res.writeHead(ERROR_STATUS.INTERNAL, { 'content-type': 'application/json' });
      res.end(errorBody('INTERNAL', '服务器内部错误'));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}
