import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { type LocalKeys, type TokenClaims, loadOrCreateKeys, signToken } from '../../infra/local/jwt.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { ENDPOINTS, type Endpoint } from '../../schemas/api.js';

/**
 * The local stack as `npm start` runs it, in a child process of its own (so that a test can kill it),
 * with its data in a temporary folder.
 */
export class LocalStackProcess {
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'jcg-e2e-'));
  url = '';
  keys!: LocalKeys;
  #child?: ChildProcess;
  #port = 0;
  #output = '';

  /** Everything the stack printed (its logs) since this object was made. */
  output(): string {
    return this.#output;
  }

  constructor(private readonly options: { inMemory?: boolean; env?: Record<string, string> } = {}) {}

  /** `env` adds to the constructor's environment for this start only. */
  async start(env: Record<string, string> = {}): Promise<void> {
    this.#port ||= await freePort();
    // Its own process group, so that a kill reaches DynamoDB Local too, as a machine crash would.
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: PROJECT_ROOT,
      detached: true,
      env: { ...process.env, PORT: String(this.#port), DATA_DIR: this.dataDir, IN_MEMORY: String(this.options.inMemory ?? false), ...this.options.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        output += chunk;
        this.#output += chunk;
        const url = /listening on (\S+)/.exec(output)?.[1];
        if (url) {
          this.url = url;
          resolve();
        }
      });
      child.stderr!.on('data', (chunk) => {
        output += chunk;
        this.#output += chunk;
        // DEBUG_LOCAL_STACK=1 shows what the stack logs (handler errors) while a test runs.
        if (process.env.DEBUG_LOCAL_STACK) process.stderr.write(chunk);
      });
      child.once('exit', (code) => reject(new Error(`local stack exited (${code}) during start:\n${output}`)));
    });
    this.keys = await loadOrCreateKeys(path.join(this.dataDir, 'keys'));
  }

  /** Kills the whole stack at once, as a crash would: no clean shutdown. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    // KEEP_LOCAL_STACK_DATA=1 keeps the data folder for a look after a failure.
    if (process.env.KEEP_LOCAL_STACK_DATA) process.stderr.write(`local stack data kept in ${this.dataDir}\n`);
    else rmSync(this.dataDir, { recursive: true, force: true });
  }

  token(claims: TokenClaims): Promise<string> {
    return signToken(this.keys, claims);
  }

  /** A client that speaks to the API as one user. */
  async as(claims: TokenClaims): Promise<ApiClient> {
    return new ApiClient(this, await this.token(claims));
  }
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
}

/** The endpoint a request goes to, by method and API Gateway path template (`{id}` matches one segment). */
export function endpointFor(method: string, route: string): [string, Endpoint] | undefined {
  const path = route.split('?')[0]!;
  const matches = Object.entries(ENDPOINTS as Record<string, Endpoint>).filter(
    ([, endpoint]) => endpoint.method === method && new RegExp(`^${endpoint.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  // A literal segment wins over a parameter (/applications/mine before /applications/{id}).
  const params = (endpoint: Endpoint) => endpoint.path.split('{').length;
  return matches.sort(([, a], [, b]) => params(a) - params(b))[0];
}

/**
 * Every 2xx body must match its endpoint's declared response schema, so the contract in schemas/api.ts
 * (and the OpenAPI document and console types made from it) cannot drift from what the handlers send.
 */
export function checkResponse(method: string, route: string, status: number, body: unknown): void {
  if (status < 200 || status >= 300) return;
  // /local/… are the local stack's own inspection routes (event failures, mail), not the API.
  if (route.startsWith('/local/')) return;
  const found = endpointFor(method, route);
  if (!found) throw new Error(`${method} ${route} answered ${status} but no endpoint in ENDPOINTS matches it`);
  const [id, endpoint] = found;
  const schema = endpoint.responses[status]?.schema;
  if (!schema) {
    if (body === undefined) return;
    throw new Error(`${id} (${method} ${route}) answered ${status} with a body its endpoint does not declare`);
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(`${id} (${method} ${route}) ${status} body does not match its schema: ${JSON.stringify(result.error.issues.slice(0, 5))}`);
  }
}

export class ApiClient {
  constructor(
    private readonly stack: { url: string },
    readonly token: string | undefined,
  ) {}

  async request<T = any>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(this.stack.url + route, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    checkResponse(method, route, response.status, parsed);
    return { status: response.status, body: parsed };
  }

  get = <T = any>(route: string) => this.request<T>('GET', route);
  post = <T = any>(route: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', route, body, headers);
  put = <T = any>(route: string, body?: unknown) => this.request<T>('PUT', route, body);
}

/** Polls until `check` returns a value: the workflow runs asynchronously after each request. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
