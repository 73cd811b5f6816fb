import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, withCorrelation } from '../../functions/logger.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

/** The JSON lines the logger writes while `run` runs. */
async function captured(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  // Powertools writes ERROR and WARN lines to stderr, the others to stdout.
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await run().catch(() => undefined);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('correlation keys on step and job logs', () => {
  afterEach(() => logger.resetKeys());

  it('puts the application and the execution on every line of an invocation, and drops them after', async () => {
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:jcg:APP1';
    const first = await captured(() =>
      withCorrelation({ step: 'Assess', applicationId: 'APP1', executionId: execution }, async () => {
        logger.info('assessing');
      }),
    );
    expect(first.map((line) => line.message)).toEqual(['assessing', 'Assess done']);
    for (const line of first) expect(line).toMatchObject({ step: 'Assess', applicationId: 'APP1', executionId: execution, correlation_id: execution });

    const second = await captured(() => withCorrelation({ step: 'OutboxRelay' }, async () => logger.info('run')));
    for (const line of second) expect(line).not.toHaveProperty('applicationId');
  });

  it('logs a failure at ERROR with the keys, and still throws it', async () => {
    let thrown: unknown;
    const lines = await captured(() =>
      withCorrelation({ step: 'Grant', applicationId: 'APP2' }, async () => {
        throw new Error('boom');
      }).catch((error) => {
        thrown = error;
      }),
    );
    expect(thrown).toBeInstanceOf(Error);
    expect(lines.at(-1)).toMatchObject({ level: 'ERROR', message: 'Grant failed', applicationId: 'APP2' });
  });

  it('is used by every workflow step and scheduled job', () => {
    for (const dir of ['functions/steps', 'functions/jobs']) {
      for (const file of readdirSync(path.join(PROJECT_ROOT, dir))) {
        expect(readFileSync(path.join(PROJECT_ROOT, dir, file), 'utf8'), `${dir}/${file}`).toMatch(/withCorrelation\(\{ step: \S/);
      }
    }
  });
});
