import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { PROJECT_ROOT } from './paths.js';

/**
 * AWS's DynamoDB Local, as shipped inside the npm package amplify-dynamodb-simulator. Only its
 * emulator folder is needed, so the pinned tarball is fetched with `npm pack` (through npm's cache),
 * checked against its registry integrity, and unpacked under node_modules/.cache.
 */
const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const INTEGRITY = 'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';
const EMULATOR_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'dynamodb-local');

export function ensureEmulator(): string {
  const jar = path.join(EMULATOR_DIR, 'DynamoDBLocal.jar');
  if (existsSync(jar)) {
    ensureLauncher(EMULATOR_DIR);
    return EMULATOR_DIR;
  }
  const work = `${EMULATOR_DIR}.${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (digest !== INTEGRITY) throw new Error(`${PACKAGE}: integrity mismatch (${digest})`);
  execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/emulator']);
  rmSync(EMULATOR_DIR, { recursive: true, force: true });
  renameSync(path.join(work, 'package', 'emulator'), EMULATOR_DIR);
  rmSync(work, { recursive: true, force: true });
  ensureLauncher(EMULATOR_DIR);
  return EMULATOR_DIR;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** The source of the launcher that binds DynamoDB Local to loopback; compiled with javac on first use. */
const LAUNCHER_SOURCE = path.join(PROJECT_ROOT, 'infra', 'local', 'java', 'LoopbackDynamoDbLocal.java');

/** Compiles the loopback launcher against the emulator's classes, once per version of its source. */
export function ensureLauncher(emulatorDir: string): string {
  const digest = createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).digest('hex').slice(0, 16);
  const classes = path.join(emulatorDir, 'loopback-launcher', digest);
  if (existsSync(path.join(classes, 'LoopbackDynamoDbLocal.class'))) return classes;
  const work = `${classes}.${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // The jar's manifest Class-Path brings in DynamoDBLocal_lib (Jetty), for javac as for java.
  execFileSync('javac', ['-nowarn', '-d', work, '-cp', path.join(emulatorDir, 'DynamoDBLocal.jar'), LAUNCHER_SOURCE], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    renameSync(work, classes);
  } catch (error) {
    // Another process compiled the same source first: use its classes.
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(path.join(classes, 'LoopbackDynamoDbLocal.class'))) throw error;
  }
  return classes;
}

/**
 * Starts DynamoDB Local, bound to 127.0.0.1 only (through the launcher): in memory, or persisted in
 * `dbPath`; resolves once it answers requests. It checks no signatures: the local stack puts the
 * verifying proxy (dynamodb-proxy.ts) in front of it. One shared database whatever the access key.
 */
export async function startDynamoDbLocal(options: { dbPath?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const dir = ensureEmulator();
  // With a port given, Java is spawned before this function first yields: it boots while the caller works.
  const port = options.port ?? (await freePort());
  const launcher = ensureLauncher(dir);
  const storage = options.dbPath ? ['-dbPath', options.dbPath, '-sharedDb'] : ['-inMemory', '-sharedDb'];
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const classpath = [launcher, path.join(dir, 'DynamoDBLocal.jar')].join(path.delimiter);
  const child: ChildProcess = spawn(
    'java',
    [`-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`, '-cp', classpath, 'LoopbackDynamoDbLocal', '-port', String(port), ...storage, '-disableTelemetry'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  let exited = false;
  child.once('exit', () => (exited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  // A safety net only (readiness is the answer itself): on a loaded machine Java can take a minute.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local exited during start-up: ${stderr}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        // Not left running behind a failed start.
        child.kill('SIGKILL');
        client.destroy();
        throw new Error(`DynamoDB Local did not answer within 120 s: ${String(error)} ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  client.destroy();

  return {
    endpoint,
    port,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
