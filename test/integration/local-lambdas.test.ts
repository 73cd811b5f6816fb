import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundles, bundleFunctions } from '../../infra/local/bundle.js';
import { type LocalFunction, localFunctions } from '../../infra/local/functions.js';
import { invokeHttpIntegration } from '../../infra/local/http-integration.js';
import { LambdaServiceError, LocalLambdas } from '../../infra/local/lambdas.js';
import { QUOTAS } from '../../infra/local/quotas.js';
import { startSchedules } from '../../infra/local/scheduler.js';
import type { AsyncOutcome } from '../../infra/local/lambdas.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, synthesizeLocal } from '../../infra/local/synth.js';

/**
 * The local Lambda service with real sandboxes (worker threads) running a test-only handler: each
 * function sees its own environment only, is stopped at its timeout, and gets Lambda's payload limits,
 * asynchronous retries, and API Gateway's answers when the integration fails.
 */
const FIXTURE = 'test/support/lambda-fixture.ts';
const fixture = (logicalId: string, overrides: Partial<LocalFunction> = {}): LocalFunction => ({
  logicalId,
  entry: FIXTURE,
  roleLogicalId: `${logicalId}Role`,
  environment: {},
  timeoutSeconds: 3,
  memoryMb: 256,
  ...overrides,
});
const ENDPOINTS = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' };
const SECRET = { ifVariable: 'PERSON_KEY_SECRET_ARN', add: { PERSON_KEY_SECRET: 'local-secret' } };

describe('the local Lambda service', () => {
  let bundles: Bundles;
  let lambdas: LocalLambdas;
  const credentialCalls: string[][] = [];
  const synthesized = synthesizeLocal();

  beforeAll(async () => {
    process.env.HOST_ONLY_VARIABLE = 'the stack process has it';
    bundles = await bundleFunctions([FIXTURE]);
    lambdas = new LocalLambdas(
      [
        fixture('WithSecret', { environment: { TABLE_NAME: 't', PERSON_KEY_SECRET_ARN: 'arn:secret' } }),
        fixture('Plain', { environment: { TABLE_NAME: 't' }, memoryMb: 1024 }),
        fixture('Quick', { timeoutSeconds: 1 }),
        fixture('Patient', { timeoutSeconds: 10 }),
        fixture('Small', { memoryMb: 128, timeoutSeconds: 60 }),
        fixture('FailingJob'),
        // The real functions' template data, running the fixture.
        ...synthesized.functions.map((fn) => ({ ...fn, entry: FIXTURE })),
      ],
      {
        bundles,
        region: LOCAL_REGION,
        account: LOCAL_ACCOUNT,
        endpoints: ENDPOINTS,
        grants: [SECRET],
        asyncRetryDelaysMs: [0, 0],
        credentialsFor: (functionLogicalId, roleLogicalId) => {
          credentialCalls.push([functionLogicalId, roleLogicalId]);
          return { accessKeyId: `key-${functionLogicalId}`, secretAccessKey: 'secret', sessionToken: `session-${roleLogicalId}` };
        },
      },
    );
  });
  afterAll(async () => {
    await lambdas.close();
    bundles.remove();
    delete process.env.HOST_ONLY_VARIABLE;
  });

  const env = async (name: string) => ((await lambdas.invokeFunction(name, { action: 'env' })) as { env: Record<string, string>; memoryLimitInMB: string; remainingMs: number });

  describe('environment', () => {
    it('gives each real function exactly its template variables, the runtime’s, its credentials and the endpoints', async () => {
      for (const fn of synthesized.functions) {
        const { env: seen } = await env(fn.logicalId);
        expect(seen).toEqual({
          ...fn.environment,
          ...('PERSON_KEY_SECRET_ARN' in fn.environment ? SECRET.add : {}),
          AWS_REGION: LOCAL_REGION,
          AWS_DEFAULT_REGION: LOCAL_REGION,
          AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
          AWS_ACCESS_KEY_ID: `key-${fn.logicalId}`,
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_SESSION_TOKEN: `session-${fn.roleLogicalId}`,
          ...ENDPOINTS,
        });
      }
      // Only the functions that read the person key have its ARN (and so the local secret).
      const withArn = synthesized.functions.filter((fn) => 'PERSON_KEY_SECRET_ARN' in fn.environment).map((fn) => fn.logicalId.replace(/[0-9A-F]{8}$/, ''));
      expect(withArn.sort()).toEqual(['AdminApi', 'ApplicationsApi', 'PolicyApi']);
      // The role comes from the function's Role Fn::GetAtt.
      expect(credentialCalls).toContainEqual([synthesized.functions[0]!.logicalId, expect.stringMatching(/^AssessServiceRole/)]);
    });

    it('leaves a variable that the template does not give undefined, whatever the stack process has', async () => {
      const plain = await env('Plain');
      expect(plain.env.PERSON_KEY_SECRET_ARN).toBeUndefined();
      expect(plain.env.PERSON_KEY_SECRET).toBeUndefined();
      expect(plain.env.HOST_ONLY_VARIABLE).toBeUndefined();
      expect(plain.env.PATH).toBeUndefined();
      expect((await env('WithSecret')).env.PERSON_KEY_SECRET).toBe('local-secret');
    });

    it('reports MemorySize in the context and the environment', async () => {
      const plain = await env('Plain');
      expect(plain.memoryLimitInMB).toBe('1024');
      expect(plain.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('1024');
    });
  });

  describe('timeout', () => {
    it('lets a function finish within its timeout, and tells it the time left from that timeout', async () => {
      const result = (await lambdas.invokeFunction('Quick', { action: 'sleep', ms: 10 })) as { slept: number; remainingMs: number };
      expect(result.slept).toBe(10);
      expect(result.remainingMs).toBeGreaterThan(0);
      expect(result.remainingMs).toBeLessThanOrEqual(1000);
      expect((await env('Patient')).remainingMs).toBeGreaterThan(3000);
    });

    it('stops a function at its timeout with Sandbox.Timedout, even a busy one, and serves the next call from a new sandbox', async () => {
      for (const action of [{ action: 'sleep', ms: 600_000 }, { action: 'spin', ms: 600_000 }]) {
        const outcome = await lambdas.invoke('Quick', action);
        expect(outcome).toEqual({
          functionError: { errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/), trace: [] },
        });
      }
      expect(await lambdas.invokeFunction('Quick', { action: 'echo', data: 'alive' })).toBe('alive');
    });

    it('takes Timeout and MemorySize from the template, with AWS’s defaults (3 s, 128 MB) where it sets none', () => {
      const template = {
        Resources: {
          Bare: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['BareRole', 'Arn'] } } },
          Set: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['SetRole', 'Arn'] }, Timeout: 20, MemorySize: 1769 } },
        },
      };
      const [bare, set] = localFunctions(template, [{ logicalId: 'Bare', entry: FIXTURE }, { logicalId: 'Set', entry: FIXTURE }], () => undefined, (v) => v);
      expect(bare).toMatchObject({ timeoutSeconds: 3, memoryMb: 128, roleLogicalId: 'BareRole', environment: {} });
      expect(set).toMatchObject({ timeoutSeconds: 20, memoryMb: 1769, roleLogicalId: 'SetRole' });
    });
  });

  describe('memory', () => {
    it('stops a function that outgrows its MemorySize', async () => {
      const outcome = await lambdas.invoke('Small', { action: 'hog' });
      expect(outcome).toMatchObject({ functionError: { errorType: 'Runtime.OutOfMemory' } });
      expect(await lambdas.invokeFunction('Small', { action: 'echo', data: 1 })).toBe(1);
    });
  });

  describe('payload limits', () => {
    // An event {"action":"echo","data":"xx…"} of exactly n bytes.
    const eventOf = (bytes: number) => ({ action: 'echo', data: 'x'.repeat(bytes - '{"action":"echo","data":""}'.length) });

    it('takes a synchronous request of 6 MB and refuses one byte more (RequestEntityTooLargeException)', async () => {
      expect(await lambdas.invoke('Patient', eventOf(QUOTAS.lambdaSyncRequestBytes))).toHaveProperty('payload');
      await expect(lambdas.invoke('Patient', eventOf(QUOTAS.lambdaSyncRequestBytes + 1))).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', statusCode: 413 });
    });

    it('returns a response of 6 MB and turns one byte more into Function.ResponseSizeTooLarge', async () => {
      expect(await lambdas.invoke('Patient', { action: 'bytes', length: QUOTAS.lambdaSyncResponseBytes })).toHaveProperty('payload');
      expect(await lambdas.invoke('Patient', { action: 'bytes', length: QUOTAS.lambdaSyncResponseBytes + 1 })).toMatchObject({
        functionError: { errorType: 'Function.ResponseSizeTooLarge' },
      });
    });

    it('accepts an asynchronous event of 1 MB and refuses one byte more', async () => {
      await expect(lambdas.invokeAsync('Patient', eventOf(QUOTAS.lambdaAsyncRequestBytes)).done).resolves.toMatchObject({ condition: 'Success' });
      expect(() => lambdas.invokeAsync('Patient', eventOf(QUOTAS.lambdaAsyncRequestBytes + 1))).toThrow(LambdaServiceError);
    });
  });

  describe('asynchronous invocation', () => {
    it('runs a failing event three times in all (two retries), and a succeeding one once', async () => {
      await expect(lambdas.invokeAsync('Plain', { action: 'fail', message: 'always' }).done).resolves.toMatchObject({
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
        functionError: { errorType: 'Error', errorMessage: 'always' },
      });
      await expect(lambdas.invokeAsync('Plain', { action: 'echo', data: 'once' }).done).resolves.toEqual({
        condition: 'Success',
        approximateInvokeCount: 1,
        responsePayload: 'once',
      });
    });

    it('retries an attempt that timed out', async () => {
      await expect(lambdas.invokeAsync('Quick', { action: 'sleep', ms: 600_000 }).done).resolves.toMatchObject({
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
        functionError: { errorType: 'Sandbox.Timedout' },
      });
    });
  });

  describe('scheduled rules', () => {
    // The first outcome of each rule, then the schedule stops.
    async function firstOutcomes(rules: { ruleLogicalId: string; functionLogicalId: string }[]) {
      const outcomes = new Map<string, AsyncOutcome>();
      let schedules: { stop(): void } | undefined;
      await new Promise<void>((resolve) => {
        schedules = startSchedules(rules.map((rule) => ({ ...rule, everySeconds: 300 })), lambdas, {
          region: LOCAL_REGION,
          account: LOCAL_ACCOUNT,
          everySeconds: 0.05,
          onOutcome: (rule, outcome) => {
            if (!outcomes.has(rule.ruleLogicalId)) outcomes.set(rule.ruleLogicalId, outcome);
            if (outcomes.size === rules.length) resolve();
          },
        });
      });
      schedules!.stop();
      return outcomes;
    }

    it('invokes the template’s target asynchronously with a Scheduled Event, retrying a failed run twice', async () => {
      // The real template's rule and function.
      expect(synthesized.schedules).toEqual([
        { ruleLogicalId: expect.stringMatching(/^OutboxRelaySchedule/), functionLogicalId: expect.stringMatching(/^OutboxRelay/), everySeconds: 300 },
      ]);
      const outcomes = await firstOutcomes([
        { ruleLogicalId: 'EveryRule', functionLogicalId: synthesized.schedules[0]!.functionLogicalId },
        { ruleLogicalId: 'FailingRule', functionLogicalId: 'FailingJob' },
      ]);
      expect(outcomes.get('EveryRule')).toEqual({
        condition: 'Success',
        approximateInvokeCount: 1,
        responsePayload: {
          version: '0',
          id: expect.any(String),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: LOCAL_ACCOUNT,
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          region: LOCAL_REGION,
          resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/EveryRule`],
          detail: {},
        },
      });
      expect(outcomes.get('FailingRule')).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3, functionError: { errorMessage: 'scheduled run failed' } });
    });
  });

  describe('as an HTTP API integration', () => {
    const body = (response: { body: Buffer }) => JSON.parse(response.body.toString());

    it('passes the function’s response through', async () => {
      const response = await invokeHttpIntegration(lambdas, 'Plain', { action: 'http', status: 201, body: 'made' });
      expect(response).toMatchObject({ statusCode: 201, headers: { 'content-type': 'text/plain' } });
      expect(response.body.toString()).toBe('made');
    });

    it('answers 500 Internal Server Error for a function error, a function timeout, and an event Lambda refuses', async () => {
      for (const [name, event] of [
        ['Plain', { action: 'fail', message: 'boom' }],
        ['Quick', { action: 'sleep', ms: 600_000 }],
        ['Patient', { action: 'echo', data: 'x'.repeat(QUOTAS.lambdaSyncRequestBytes) }],
      ] as const) {
        const response = await invokeHttpIntegration(lambdas, name, event);
        expect(response.statusCode).toBe(500);
        expect(body(response)).toEqual({ message: 'Internal Server Error' });
      }
    });

    it('answers 503 Service Unavailable when the function outlasts the integration timeout, and waits for one that does not', async () => {
      const late = await invokeHttpIntegration(lambdas, 'Patient', { action: 'sleep', ms: 600_000 }, 200);
      expect(late.statusCode).toBe(503);
      expect(body(late)).toEqual({ message: 'Service Unavailable' });
      const inTime = await invokeHttpIntegration(lambdas, 'Patient', { action: 'echo', data: { ok: true } }, 5_000);
      expect(inTime.statusCode).toBe(200);
      expect(body(inTime)).toEqual({ ok: true });
    });
  });
});
