import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { API_GROUPS, API_ROUTES, type ApiGroup, type ApiRoute } from '../api-routes.js';
import { Principal } from '../../functions/http/principal.js';
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

function errorBody(code: string, message: string) {
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
    requested = JSON.parse(text || '{}');
  } catch {
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: '请求体不是有效的 JSON' } } };
  }
  const label = requested.uscc ?? requested.dept ?? 'local';
  const claims = Principal.safeParse({ ...requested, sub: requested.sub || `${String(requested.role)}-${String(label)}` });
  if (!claims.success) {
    const issues = claims.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    return { status: 400, body: { error: { code: 'VALIDATION_ERROR', message: '登录信息有误', issues } } };
  }
  return { status: 200, body: { token: await signToken(keys, claims.data) } };
}

/**
 * The local API Gateway: matches the API's routes, verifies the bearer JWT like the HTTP API's JWT
 * authorizer, builds the API Gateway v2 event with the claims where the authorizer puts them, and calls
 * the route group's handler.
 */
export function startGateway(options: { port: number; host?: string; keys: LocalKeys; lambdas: LocalLambdas; trustedIssuer?: TrustedIssuer }): Promise<Server> {
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

    if (method === 'POST' && url.pathname === '/local/token') {
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
    if (!match && serveConsole(req, res, url.pathname, options.trustedIssuer)) return;
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(errorBody('NOT_FOUND', '接口不存在'));
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
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
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

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      process.stderr.write(`gateway: ${String(error?.stack ?? error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(errorBody('INTERNAL', '服务器内部错误'));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve(server));
  });
}
