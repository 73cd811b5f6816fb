import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bundles, bundleFunctions } from '../../infra/local/bundle.js';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { LocalLambdas } from '../../infra/local/lambdas.js';
import { QUOTAS, jsonBytes } from '../../infra/local/quotas.js';
import { LocalStepFunctions } from '../../infra/local/step-functions.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, LOCAL_STATE_MACHINE_ARN, synthesizeLocal } from '../../infra/local/synth.js';
import { executionWhen, journalOnDynamoDbLocal, listenWithClient } from '../support/step-functions.js';

/**
 * The synthesized workflow on the local Step Functions endpoint, its steps in real sandboxes running a
 * test-only handler: a step that overruns its Lambda timeout fails with Sandbox.Timedout, which the
 * definition's Retry for transient Lambda errors retries; a step result over 256 KiB fails the execution with
 * States.DataLimitExceeded at once, retried by nothing.
 */
describe('Lambda limits seen by the workflow', () => {
  let dynamodb: DynamoDbLocal;
  let bundles: Bundles;
  let lambdas: LocalLambdas;
  let engine: LocalStepFunctions;
  let sfn: SFNClient;
  const { definition, functions } = synthesizeLocal({ stages: [] });
  const assess = functions.find((fn) => fn.entry.endsWith('assess.ts'))!;

  beforeAll(async () => {
    [dynamodb, bundles] = await Promise.all([journalOnDynamoDbLocal(), bundleFunctions(['test/support/lambda-fixture.ts'])]);
    lambdas = new LocalLambdas(
      // The template's functions, Assess with a 1 s timeout, all running the fixture.
      functions.map((fn) => ({ ...fn, entry: 'test/support/lambda-fixture.ts', ...(fn === assess ? { timeoutSeconds: 1 } : {}) })),
      { bundles, region: LOCAL_REGION, account: LOCAL_ACCOUNT, endpoints: {} },
    );
    engine = new LocalStepFunctions(LOCAL_STATE_MACHINE_ARN, definition, (name, payload) => lambdas.invokeFunction(name, payload), dynamodb.endpoint, { Assess: 0, Grant: 0 });
    ({ sfn } = await listenWithClient(engine));
  });
  afterAll(async () => {
    await engine.close();
    await lambdas.close();
    bundles.remove();
    await dynamodb.stop();
  });

  async function run(applicationId: string) {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: applicationId, input: JSON.stringify({ applicationId }) }));
    return executionWhen(sfn, engine, executionArn!);
  }
  const assessCalls = () => lambdas.invocations.get('test/support/lambda-fixture.ts')?.count ?? 0;

  it('retries a step that timed out (Sandbox.Timedout) as the definition says, then fails with it', async () => {
    const before = assessCalls();
    const execution = await run('SLOW-1');
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringContaining('Task timed out after 1.00 seconds') });
    // One attempt and the retries of the definition's retrier for Sandbox.Timedout; nothing after Assess ran.
    const retrier = (definition.States as Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[] }>).Assess!.Retry!.find((r) =>
      r.ErrorEquals.includes('Sandbox.Timedout'),
    )!;
    expect(assessCalls() - before).toBe(1 + retrier.MaxAttempts);
  });

  // The Lambda task's result as Step Functions holds it: {ExecutedVersion, StatusCode, Payload}.
  const resultBytes = (padding: number) =>
    jsonBytes({ ExecutedVersion: '$LATEST', StatusCode: 200, Payload: { eligible: true, amount: '1.00', department: 'kejiju', padding: 'x'.repeat(padding) } });
  const paddingFor = (bytes: number) => bytes - resultBytes(0);

  it('takes a step result of exactly 256 KiB', async () => {
    const padding = paddingFor(QUOTAS.stepFunctionsPayloadBytes);
    expect(resultBytes(padding)).toBe(QUOTAS.stepFunctionsPayloadBytes);
    expect(await run(`SIZE-${padding}-under`)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('fails the execution with States.DataLimitExceeded for one byte more, without a retry', async () => {
    const before = assessCalls();
    const execution = await run(`SIZE-${paddingFor(QUOTAS.stepFunctionsPayloadBytes + 1)}-over`);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(assessCalls() - before).toBe(1);
  });
});
