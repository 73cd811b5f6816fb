/**
 * Black-box smoke test of a deployment, over HTTP only:
 *
 *   npm run smoke -- --base-url https://console.example.gov.cn \
 *     (--tokens-command '<command>' | --tokens-file tokens.json) [--uscc <USCC>] [--run-id <id>]
 *
 * Tokens come from the operator. A tokens command is run once per principal with
 * `--role <role> [--uscc <uscc>] [--dept <dept>]` appended and must print one JWT (locally:
 * `npm run --silent token --`). A tokens file is JSON: {"admin","enterprise","park","kejiju","finance"},
 * where the enterprise token's uscc claim must be the --uscc given.
 *
 * It writes: a roster entry, an application that is returned, resubmitted and approved, a 公示 notice,
 * and a batch that is exported and marked paid. The batch needs the 公示 period to end within
 * --wait-seconds (the local stack with PUBLICITY_SECONDS); against a deployment with the real period,
 * pass --until-publicity to stop after the notice. A batch takes every approved award, so run it against a test
 * deployment, never production.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { usccCheckCharacter } from '../functions/domain/identity.js';

type Principal = 'admin' | 'enterprise' | 'park' | 'kejiju' | 'finance';
const CLAIMS: Record<Principal, { role: string; dept?: string; uscc?: true }> = {
  admin: { role: 'admin' },
  enterprise: { role: 'enterprise', uscc: true },
  park: { role: 'reviewer', dept: 'park' },
  kejiju: { role: 'reviewer', dept: 'kejiju' },
  finance: { role: 'finance' },
};

export interface SmokeOptions {
  baseUrl: string;
  tokensCommand?: string;
  tokensFile?: string;
  uscc?: string;
  runId?: string;
  /** How long to wait for the workflow to reach each state (default 120 s). */
  waitSeconds?: number;
  /** Stop after publishing the 公示 notice (a deployment whose period is the real working days). */
  untilPublicity?: boolean;
  log?: (line: string) => void;
}

class SmokeFailure extends Error {}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** Runs the flow; resolves with the steps passed, rejects with the first that failed. */
export async function smoke(options: SmokeOptions): Promise<string[]> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const runId = options.runId ?? Date.now().toString(36);
  const uscc = options.uscc ?? defaultUscc();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const tokens = loadTokens(options, uscc);
  const passed: string[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      passed.push(name);
      log(`ok   ${name}`);
      return result;
    } catch (error) {
      log(`FAIL ${name}: ${(error as Error).message}`);
      throw error;
    }
  };

  async function call(as: Principal | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, body: json, text, headers: response.headers };
  }
  const expectStatus = (answer: { status: number; text: string }, status: number, what: string) =>
    check(answer.status === status, `${what}: expected HTTP ${status}, got ${answer.status} ${answer.text.slice(0, 300)}`);

  /** Polls until `probe` gives a value: the workflow runs asynchronously behind the API. */
  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + (options.waitSeconds ?? 120) * 1000;
    for (let delay = 200; ; delay = Math.min(delay * 2, 3000)) {
      const value = await probe();
      if (value !== undefined) return value;
      check(Date.now() < deadline, `timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  const taskFor = (reviewer: Principal, applicationId: string) =>
    waitFor(`a ${reviewer} task for ${applicationId}`, async () => {
      const { body } = await call(reviewer, 'GET', '/tasks');
      return (body?.items ?? []).find((task: { applicationId: string }) => task.applicationId === applicationId) as { taskId: string } | undefined;
    });
  const statusOf = (applicationId: string, status: string) =>
    waitFor(`application ${applicationId} ${status}`, async () => {
      const { body } = await call('enterprise', 'GET', `/applications/${applicationId}`);
      return body?.status === status ? body : undefined;
    });

  await step('GET /health', async () => {
    const answer = await call(undefined, 'GET', '/health');
    expectStatus(answer, 200, 'health');
    check(answer.body?.status === 'ok', `health: ${answer.text}`);
  });
  await step('GET /openapi.json', async () => {
    const answer = await call(undefined, 'GET', '/openapi.json');
    expectStatus(answer, 200, 'openapi');
    check(String(answer.body?.openapi).startsWith('3.'), 'not an OpenAPI 3 document');
    check(answer.body.paths?.['/applications'], 'the document lacks /applications');
  });
  await step('PUT /registry/{uscc} (admin)', async () => {
    const name = `冒烟测试企业 ${runId}`;
    const answer = await call('admin', 'PUT', `/registry/${uscc}`, { name, joinedOn: '2025-01-10', bankAccount: { name, bank: '中国银行晋城分行', number: '6216600000001234567' } });
    expectStatus(answer, 200, 'roster');
  });
  const details = (kind: string) => ({ platformId: `SMOKE-${runId}`, platformName: `冒烟测试平台 ${runId}`, kind, approvedOn: '2025-06-01' });
  await step('POST /quotes', async () => {
    const answer = await call('enterprise', 'POST', '/quotes', { programId: 'platform-award', details: details('municipal-tech-innovation-center') });
    expectStatus(answer, 200, 'quote');
    check(answer.body?.eligible === true && /^\d+\.\d{2}$/.test(answer.body.amount), `quote: ${answer.text.slice(0, 300)}`);
  });
  const applicationId = await step('POST /applications', async () => {
    // Submitted with a detail to correct: the park reviewer returns it.
    const answer = await call('enterprise', 'POST', '/applications', { programId: 'platform-award', details: details('provincial-key-lab') }, { 'idempotency-key': `smoke-${runId}` });
    expectStatus(answer, 201, 'submit');
    return answer.body.id as string;
  });
  await step('park review: return for revision', async () => {
    const task = await taskFor('park', applicationId);
    expectStatus(await call('park', 'POST', `/tasks/${task.taskId}/decision`, { decision: 'return', comment: '冒烟测试：请更正平台级别' }), 200, 'return');
    await statusOf(applicationId, 'RETURNED');
  });
  await step('PUT /applications/{id} (resubmit)', async () => {
    const answer = await call('enterprise', 'PUT', `/applications/${applicationId}`, { details: details('municipal-tech-innovation-center') });
    expectStatus(answer, 200, 'resubmit');
  });
  await step('park review: approve', async () => {
    const task = await taskFor('park', applicationId);
    expectStatus(await call('park', 'POST', `/tasks/${task.taskId}/decision`, { decision: 'approve' }), 200, 'park approve');
  });
  const approvedAmount = await step('department review (科技局): approve → AWAITING_PUBLICITY', async () => {
    const task = await taskFor('kejiju', applicationId);
    expectStatus(await call('kejiju', 'POST', `/tasks/${task.taskId}/decision`, { decision: 'approve' }), 200, 'dept approve');
    return (await statusOf(applicationId, 'AWAITING_PUBLICITY')).approvedAmount as string;
  });
  const notice = await step('POST /publicity (公示, 科技局)', async () => {
    const answer = await call('kejiju', 'POST', '/publicity', { title: `冒烟测试公示 ${runId}` });
    expectStatus(answer, 201, 'publicity');
    return answer.body as { noticeId: string; endsOn: string };
  });
  if (options.untilPublicity) {
    // A deployment with the real period: the award becomes payable after endsOn, not within a smoke run.
    log(`     公示 ${notice.noticeId} ends on ${notice.endsOn}; the payment steps are left out`);
    return passed;
  }
  await step('公示 period ends → APPROVED', () => statusOf(applicationId, 'APPROVED'));
  const batchId = await step('POST /batches (finance)', async () => {
    const answer = await call('finance', 'POST', '/batches', { programIds: ['platform-award'] });
    expectStatus(answer, 201, 'batch');
    const items: { applicationId: string }[] = answer.body.items ?? [];
    check(items.some((item) => item.applicationId === applicationId), 'the batch lacks the smoke application');
    return answer.body.batchId as string;
  });
  await step('GET /batches/{id}/export (CSV)', async () => {
    // A large file is answered 303 with a presigned S3 link; fetch follows it without the token.
    const answer = await call('finance', 'GET', `/batches/${batchId}/export?format=csv`);
    expectStatus(answer, 200, 'export');
    check(answer.text.includes(applicationId) && answer.text.includes(approvedAmount), 'the payment file lacks the application or its amount');
  });
  await step('POST /batches/{id}/payments → PAID', async () => {
    const answer = await call('finance', 'POST', `/batches/${batchId}/payments`, { results: [{ applicationId, status: 'paid', reference: `SMOKE-${runId}` }] });
    expectStatus(answer, 200, 'payments');
    await statusOf(applicationId, 'PAID');
  });
  return passed;
}

/** A valid USCC of its own for the smoke enterprise. */
function defaultUscc(): string {
  const body = '91140500MA0K99990';
  return body + usccCheckCharacter(body);
}

function loadTokens(options: SmokeOptions, uscc: string): Record<Principal, string> {
  if (options.tokensFile) {
    const tokens = JSON.parse(readFileSync(options.tokensFile, 'utf8')) as Partial<Record<Principal, string>>;
    for (const principal of Object.keys(CLAIMS) as Principal[]) check(tokens[principal], `${options.tokensFile} has no "${principal}" token`);
    return tokens as Record<Principal, string>;
  }
  check(options.tokensCommand, 'give --tokens-command or --tokens-file');
  const tokens = {} as Record<Principal, string>;
  for (const [principal, claims] of Object.entries(CLAIMS) as [Principal, (typeof CLAIMS)[Principal]][]) {
    const args = [`--role ${claims.role}`, claims.dept ? `--dept ${claims.dept}` : '', claims.uscc ? `--uscc ${uscc}` : ''].filter(Boolean).join(' ');
    tokens[principal] = execSync(`${options.tokensCommand} ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    check(/^[\w-]+\.[\w-]+\.[\w-]*$/.test(tokens[principal]), `the tokens command printed no JWT for ${principal}`);
  }
  return tokens;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      'tokens-command': { type: 'string' },
      'tokens-file': { type: 'string' },
      uscc: { type: 'string' },
      'run-id': { type: 'string' },
      'wait-seconds': { type: 'string' },
      'until-publicity': { type: 'boolean' },
    },
  });
  if (!values['base-url'] || (!values['tokens-command'] && !values['tokens-file'])) {
    process.stderr.write("usage: npm run smoke -- --base-url <url> (--tokens-command '<cmd>' | --tokens-file tokens.json) [--uscc USCC] [--run-id ID]\n");
    process.exit(2);
  }
  smoke({
    baseUrl: values['base-url'],
    ...(values['tokens-command'] ? { tokensCommand: values['tokens-command'] } : {}),
    ...(values['tokens-file'] ? { tokensFile: values['tokens-file'] } : {}),
    ...(values.uscc ? { uscc: values.uscc } : {}),
    ...(values['run-id'] ? { runId: values['run-id'] } : {}),
    ...(values['wait-seconds'] ? { waitSeconds: Number(values['wait-seconds']) } : {}),
    ...(values['until-publicity'] ? { untilPublicity: true } : {}),
  }).then(
    (passed) => process.stdout.write(`smoke test passed: ${passed.length} steps\n`),
    (error) => {
      process.stderr.write(`smoke test failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
