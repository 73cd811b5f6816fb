import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { LocalStackProcess } from '../support/local-stack.js';
import { PUBLICITY_ENV } from '../support/publicity.js';

/** `npm run smoke` exactly as an operator runs it after `cdk deploy`, here against the local stack. */
describe('npm run smoke', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  beforeAll(() => stack.start());
  afterAll(() => stack.stop());

  function run(args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'smoke', '--', ...args], { cwd: PROJECT_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => resolve({ code, output }));
    });
  }

  it('passes the whole flow with tokens from the local token command', async () => {
    const { code, output } = await run(['--base-url', stack.url, '--tokens-command', `DATA_DIR=${stack.dataDir} npm run --silent token --`, '--run-id', 'ci1']);
    expect(output).toContain('ok   department review (科技局): approve → AWAITING_PUBLICITY');
    expect(output).toContain('ok   公示 period ends → APPROVED');
    expect(output).toContain('ok   POST /batches/{id}/payments → PAID');
    expect(output).toContain('smoke test passed: 14 steps');
    expect(code).toBe(0);
  }, 180_000);

  it('fails, naming the step, when the tokens are not accepted', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = `${stack.dataDir}/bad-tokens.json`;
    const bad = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    writeFileSync(file, JSON.stringify({ admin: bad, enterprise: bad, park: bad, kejiju: bad, finance: bad }));
    const { code, output } = await run(['--base-url', stack.url, '--tokens-file', file]);
    expect(output).toContain('ok   GET /openapi.json');
    expect(output).toMatch(/FAIL PUT \/registry\/\{uscc\} \(admin\): roster: expected HTTP 200, got 401/);
    expect(code).toBe(1);
  }, 60_000);
});
