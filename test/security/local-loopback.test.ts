import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type Server, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../../infra/local/gateway.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { synthesizeLocal } from '../../infra/local/synth.js';

/** This machine's own first non-loopback IPv4 address (connecting to it reaches only this machine). */
const ownAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** Resolves 'connected' or the connection error's code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

function call(options: { host?: string; port: number; method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = httpRequest(
      { host: options.host ?? '127.0.0.1', port: options.port, method: options.method ?? 'POST', path: options.path, headers: options.headers ?? {} },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.once('error', reject);
    req.end(options.body ?? '');
  });
}

describe('the local stack on this machine only', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  let port: number;
  const extra: Server[] = [];
  beforeAll(async () => {
    stack = await startLocalStack({ keysDir, localSignIn: true });
    port = Number(new URL(stack.url).port);
  });
  afterAll(async () => {
    for (const server of extra) await new Promise((resolve) => server.close(resolve));
    await stack.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it.skipIf(!ownAddress)('binds every service, DynamoDB Local included, to 127.0.0.1: the machine’s own address is refused', async () => {
    const endpoints = {
      gateway: stack.url,
      dynamodbLocal: stack.dynamodbLocalEndpoint,
      dynamodbProxy: stack.dynamodbEndpoint,
      stepFunctions: stack.stepFunctionsEndpoint,
      s3: stack.s3Endpoint,
    };
    for (const [name, endpoint] of Object.entries(endpoints)) {
      const servicePort = Number(new URL(endpoint).port);
      expect([name, await tryConnect('127.0.0.1', servicePort)]).toEqual([name, 'connected']);
      expect([name, await tryConnect(ownAddress!, servicePort)]).toEqual([name, 'ECONNREFUSED']);
    }
  });

  describe('POST /local/token', () => {
    const signIn = (headers: Record<string, string>, body: string) =>
      call({ port, path: '/local/token', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers }, body });
    const admin = JSON.stringify({ role: 'admin' });

    it('signs a token for a JSON object from this machine, addressed to the stack’s own host', async () => {
      const answer = await signIn({}, admin);
      expect(answer.status).toBe(200);
      expect(answer.body.token.split('.')).toHaveLength(3);
      expect((await signIn({ host: `localhost:${port}` }, admin)).status).toBe(200);
    });

    it('only takes application/json (415), which a cross-site form cannot send', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
        const answer = await signIn({ 'content-type': type }, admin);
        expect([type, answer.status, answer.body.error.code]).toEqual([type, 415, 'UNSUPPORTED_MEDIA_TYPE']);
      }
    });

    it('refuses a body that is not a JSON object with 400', async () => {
      for (const body of ['null', '[]', '[{"role":"admin"}]', '"admin"', '1', '', '{']) {
        const answer = await signIn({}, body);
        expect([body, answer.status]).toEqual([body, 400]);
      }
    });

    it('refuses another Host (a rebound DNS name) with 421', async () => {
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.1`]) {
        expect([host, (await signIn({ host }, admin)).status]).toEqual([host, 421]);
      }
    });

    it.skipIf(!ownAddress)('refuses a caller that is not on this machine with 403', async () => {
      // A gateway listening on every interface, reached through the machine's own address.
      const open = await startGateway({ port: 0, host: '0.0.0.0', keys: stack.keys, lambdas: stack.lambdas, localSignIn: true });
      extra.push(open);
      const openPort = (open.address() as { port: number }).port;
      const answer = await call({ host: ownAddress!, port: openPort, path: '/local/token', headers: { host: `127.0.0.1:${openPort}`, 'content-type': 'application/json' }, body: admin });
      expect([answer.status, answer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('does not exist unless local sign-in is on', async () => {
      const closed = await startGateway({ port: 0, keys: stack.keys, lambdas: stack.lambdas });
      extra.push(closed);
      const closedPort = (closed.address() as { port: number }).port;
      const answer = await call({ port: closedPort, path: '/local/token', headers: { host: `127.0.0.1:${closedPort}`, 'content-type': 'application/json' }, body: admin });
      expect(answer.status).toBe(404);
    });

    it('is never part of the AWS build: no API route, and no code outside the local stack names it', () => {
      const { template } = synthesizeLocal();
      const routes = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => String(r.Properties?.RouteKey));
      expect(routes.length).toBeGreaterThan(10);
      expect(routes.filter((key) => key.includes('/local'))).toEqual([]);
      const sources = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const file = path.join(dir, name);
          if (statSync(file).isDirectory()) return name === 'local' ? [] : sources(file);
          return /\.(ts|tsx)$/.test(name) ? [file] : [];
        });
      const deployed = [...sources(path.join(PROJECT_ROOT, 'functions')), ...sources(path.join(PROJECT_ROOT, 'infra')), ...sources(path.join(PROJECT_ROOT, 'schemas'))];
      expect(deployed.filter((file) => readFileSync(file, 'utf8').includes('local/token'))).toEqual([]);
    });
  });

  it('answers a malformed %-encoding in the path with 400, not 500', async () => {
    for (const target of ['/applications/%E0%A4%A', '/%', '/tasks/%ZZ/claim']) {
      const answer = await call({ method: 'GET', port, path: target, headers: { host: `127.0.0.1:${port}` } });
      expect([target, answer.status, answer.body.error.code]).toEqual([target, 400, 'BAD_REQUEST']);
    }
  });
});
