import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './dynamodb-local.js';

/** EICAR's standard anti-virus test string, which every scanner reports. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** A marker of this project's own: tests put it inside otherwise valid files to see the scan reject them. */
export const TEST_MALWARE_MARKER = 'JCG-SUBSIDY-TEST-MALWARE-MARKER-6f1c';

const CLAMD_PATHS = ['/usr/sbin/clamd', '/usr/bin/clamd', '/usr/local/sbin/clamd'];

/**
 * The signature database the project builds for its tests (freshclam cannot download here): the EICAR
 * string and the test marker, anywhere in a file (ClamAV's extended .ndb format: name:type:offset:hex).
 */
function writeTestDatabase(dir: string): void {
  const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
  writeFileSync(path.join(dir, 'jcg-test.ndb'), `Jcg.Test.Eicar:0:*:${hex(EICAR)}\nJcg.Test.Marker:0:*:${hex(TEST_MALWARE_MARKER)}\n`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end('zPING\0'));
    let reply = '';
    socket.on('data', (chunk) => (reply += chunk));
    socket.on('end', () => resolve(reply.startsWith('PONG')));
    socket.on('error', () => resolve(false));
  });
}

export interface LocalClamd {
  /** host:port for INSTREAM. */
  address: string;
  stop(): Promise<void>;
}

/**
 * Debian's clamd on 127.0.0.1 and a free port, with the test database, or with an operator's official
 * database when `CLAMAV_DATABASE_DIR` names one (README). Undefined when clamd is not installed: then no
 * file is ever CLEAN locally (the scan fails and is retried), as in AWS without a scanner.
 */
export async function startClamd(options: { databaseDir?: string } = {}): Promise<LocalClamd | undefined> {
  const binary = CLAMD_PATHS.find((candidate) => existsSync(candidate));
  if (!binary) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'jcg-clamd-'));
  const databaseDir = options.databaseDir ?? dir;
  if (!options.databaseDir) writeTestDatabase(dir);
  const port = await freePort();
  const configFile = path.join(dir, 'clamd.conf');
  writeFileSync(
    configFile,
    [`Foreground yes`, `TCPSocket ${port}`, `TCPAddr 127.0.0.1`, `DatabaseDirectory ${databaseDir}`, `StreamMaxLength 25M`, `MaxFileSize 25M`, `MaxScanSize 100M`, `LogVerbose no`].join('\n') + '\n',
  );
  const child: ChildProcess = spawn(binary, [`--config-file=${configFile}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null) throw new Error(`clamd exited during start: ${output}`);
    if (Date.now() > deadline) throw new Error(`clamd did not answer within 60 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
