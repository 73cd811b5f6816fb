import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_GROUPS, EVENT_CONSUMERS, STEP_FUNCTIONS } from '../../infra/api-routes.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import type { Template } from '../../infra/local/synth.js';
import { uscc } from '../support/fixtures.js';

/**
 * Each function's AWS calls are authorized by its own role's policies from the synthesized template:
 * run as its role it works; run as a copy of its role without the table grant (a test-only patch of the
 * template), its call to DynamoDB is refused with AccessDeniedException.
 */

type Resource = { Type: string; Properties: Record<string, any> };

/** Adds `<role>Reduced` for every role: the same policies minus every statement that grants DynamoDB actions. */
function addReducedRoles(template: Template): void {
  const resources = template.Resources as Record<string, Resource>;
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Role') resources[`${id}Reduced`] = structuredClone(resource);
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' || id.endsWith('Reduced')) continue;
    const copy = structuredClone(resource);
    copy.Properties.Roles = copy.Properties.Roles.map((role: { Ref: string }) => ({ Ref: `${role.Ref}Reduced` }));
    copy.Properties.PolicyDocument.Statement = copy.Properties.PolicyDocument.Statement.filter(
      (statement: { Action: string | string[] }) => ![statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
    );
    resources[`${id}Reduced`] = copy;
  }
}

const apiEvent = (method: string, route: string, claims: Record<string, string>) => ({
  version: '2.0',
  routeKey: `${method} ${route}`,
  rawPath: route,
  rawQueryString: '',
  headers: {},
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    http: { method, path: route, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'iam-test',
    routeKey: `${method} ${route}`,
    stage: '$default',
    // As API Gateway hands over a verified token's claims: strings, with its issue and expiry times.
    authorizer: { jwt: { claims: { ...claims, iat: String(Math.floor(Date.now() / 1000)), exp: String(Math.floor(Date.now() / 1000) + 3600) }, scopes: null } },
  },
  isBase64Encoded: false,
});

const CASES: { name: string; functionPrefix: string; entry: string; event: unknown; api: boolean }[] = [
  { name: 'applications', functionPrefix: 'ApplicationsApi', entry: API_GROUPS.applications.entry, api: true, event: apiEvent('GET', '/applications', { sub: 'e', role: 'enterprise', uscc: uscc(77) }) },
  { name: 'tasks', functionPrefix: 'TasksApi', entry: API_GROUPS.tasks.entry, api: true, event: apiEvent('GET', '/tasks', { sub: 'r', role: 'reviewer', dept: 'park' }) },
  { name: 'batches', functionPrefix: 'BatchesApi', entry: API_GROUPS.batches.entry, api: true, event: apiEvent('GET', '/batches', { sub: 'f', role: 'finance' }) },
  { name: 'policy', functionPrefix: 'PolicyApi', entry: API_GROUPS.policy.entry, api: true, event: apiEvent('GET', '/programs', { sub: 'f', role: 'finance' }) },
  { name: 'admin', functionPrefix: 'AdminApi', entry: API_GROUPS.admin.entry, api: true, event: apiEvent('GET', '/registry', { sub: 'a', role: 'admin' }) },
  { name: 'notifications', functionPrefix: 'NotificationsApi', entry: API_GROUPS.notifications.entry, api: true, event: apiEvent('GET', '/notifications', { sub: 'r', role: 'reviewer', dept: 'park' }) },
  { name: 'assess step', functionPrefix: 'Assess', entry: STEP_FUNCTIONS.assess, api: false, event: { applicationId: 'NO-SUCH-APPLICATION' } },
  {
    name: 'open-review-task step',
    functionPrefix: 'OpenReviewTask',
    entry: STEP_FUNCTIONS.openReviewTask,
    api: false,
    event: { applicationId: 'NO-SUCH-APPLICATION', stage: 'PARK_PRELIM', dept: 'park', taskToken: 'token' },
  },
  { name: 'await-revision step', functionPrefix: 'AwaitRevision', entry: STEP_FUNCTIONS.awaitRevision, api: false, event: { applicationId: 'NO-SUCH-APPLICATION', taskToken: 'token', deadlineSeconds: 60 } },
  { name: 'close step', functionPrefix: 'Close', entry: STEP_FUNCTIONS.close, api: false, event: { applicationId: 'NO-SUCH-APPLICATION', outcome: 'REJECTED' } },
  { name: 'grant step', functionPrefix: 'Grant', entry: STEP_FUNCTIONS.grant, api: false, event: { applicationId: 'NO-SUCH-APPLICATION' } },
];

type Outcome = { ok: true; result: { statusCode?: number } } | { ok: false; name: string; message: string };

describe('each function runs with its own role’s grants from the template', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ keysDir, patchTemplate: addReducedRoles });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** Runs the handler in a process of its own, signing with the given role's key only. */
  function runAs(role: string, entry: string, event: unknown): Promise<Outcome> {
    const { accessKeyId, secretAccessKey } = stack.credentials.forRole(role);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/run-handler.ts', entry], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdin.end(JSON.stringify(event));
    return new Promise((resolve, reject) =>
      child.once('exit', () => {
        const line = output.split('\n').find((l) => l.startsWith('RESULT '));
        if (!line) return reject(new Error(`${entry} printed no result:\n${output}`));
        resolve(JSON.parse(line.slice('RESULT '.length)) as Outcome);
      }),
    );
  }

  const deniedTo = (role: string) => stack.iam.denials.filter((d) => d.principal.includes(`/${role}/`));

  it.each(CASES)('$name: passes with the template’s grants, AccessDenied without its table grant', async ({ functionPrefix, entry, event, api }) => {
    const functionId = stack.credentials.functionIds().find((id) => id.startsWith(functionPrefix))!;
    const role = stack.credentials.roleOf(functionId);
    const [granted, reduced] = await Promise.all([runAs(role, entry, event), runAs(`${role}Reduced`, entry, event)]);

    expect(deniedTo(role)).toEqual([]);
    if (api) expect(granted).toMatchObject({ ok: true, result: { statusCode: 200 } });
    // A step on a missing application fails on the domain's terms, never on IAM's.
    else if (!granted.ok) expect(granted.name).not.toBe('AccessDeniedException');

    expect(deniedTo(`${role}Reduced`).map((d) => d.action)[0]).toMatch(/^dynamodb:/);
    if (api) expect(reduced).toMatchObject({ ok: true, result: { statusCode: 500 } });
    else expect(reduced).toMatchObject({ ok: false, name: 'AccessDeniedException' });
  });

  it('inbox and email consumers: read with their own grants; without their table grant the record is reported failed (and retried by the mapping)', async () => {
    const functionId = stack.credentials.functionIds().find((id) => id.startsWith('InboxConsumer'))!;
    const role = stack.credentials.roleOf(functionId);
    const record = {
      eventID: '1',
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: '100',
        NewImage: {
          PK: { S: 'APP#01ARZ3NDEKTSV4RRFFQ69G5FAV' },
          SK: { S: 'EVENT#2026-01-05T00:00:00.000Z#01ARZ3NDEKTSV4RRFFQ69G5FAW' },
          entity: { S: 'Event' },
          applicationId: { S: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
          type: { S: 'PAID' },
          at: { S: '2026-01-05T00:00:00.000Z' },
          actor: { S: 'finance-1' },
          data: { M: { batchId: { S: 'b' }, amount: { S: '100.00' } } },
        },
      },
    };
    const [granted, reduced] = await Promise.all([runAs(role, EVENT_CONSUMERS.inbox.entry, { Records: [record] }), runAs(`${role}Reduced`, EVENT_CONSUMERS.inbox.entry, { Records: [record] })]);
    expect(deniedTo(role)).toEqual([]);
    // No such application: the record fails on the domain's terms.
    expect(granted).toMatchObject({ ok: true, result: { batchItemFailures: [{ itemIdentifier: '100' }] } });
    expect(deniedTo(`${role}Reduced`).map((d) => d.action)).toContain('dynamodb:GetItem');
    expect(reduced).toMatchObject({ ok: true, result: { batchItemFailures: [{ itemIdentifier: '100' }] } });

    // The email consumer reads the same application with its own role; an unknown one gives no mail.
    const emailRole = stack.credentials.roleOf(stack.credentials.functionIds().find((id) => id.startsWith('EmailConsumer'))!);
    const [mailGranted, mailReduced] = await Promise.all([runAs(emailRole, EVENT_CONSUMERS.email.entry, { Records: [record] }), runAs(`${emailRole}Reduced`, EVENT_CONSUMERS.email.entry, { Records: [record] })]);
    expect(deniedTo(emailRole)).toEqual([]);
    expect(mailGranted).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
    expect(deniedTo(`${emailRole}Reduced`).map((d) => d.action)).toContain('dynamodb:GetItem');
    expect(mailReduced).toMatchObject({ ok: true, result: { batchItemFailures: [{ itemIdentifier: '100' }] } });
  });
});
