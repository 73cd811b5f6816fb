import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { JOURNAL_TABLE, LocalStepFunctions } from '../../infra/local/step-functions.js';
import { eventually } from '../support/local-stack.js';
import { journalOnDynamoDbLocal } from '../support/step-functions.js';

/**
 * The local Step Functions engine on its own, with small test-only definitions: the journal is keyed by
 * state name and entry count, so a restart with a changed definition fails the execution clearly; Map and
 * Parallel are refused at load; Wait states run in all four forms, survive a restart, and wait longer
 * than Node's timers can.
 */
const ARN = 'arn:aws:states:local:000000000000:stateMachine:engine-test';
type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };

let dynamodb: DynamoDbLocal;
let journal: DynamoDBDocumentClient;
const engines: LocalStepFunctions[] = [];

beforeAll(async () => {
  dynamodb = await journalOnDynamoDbLocal();
  journal = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
});
afterAll(async () => {
  for (const engine of engines) await engine.close();
  journal.destroy();
  await dynamodb.stop();
});

/** An engine on the shared journal; `invoke` plays the Lambda functions. */
function engine(definition: Definition, invoke: (name: string, payload: unknown) => Promise<unknown> = async () => ({}), options: { maxTimerMs?: number } = {}) {
  const created = new LocalStepFunctions(ARN, definition, invoke, dynamodb.endpoint, undefined, undefined, options);
  engines.push(created);
  return created;
}
const start = (on: LocalStepFunctions, name: string, input: unknown = {}) => on.startExecution({ stateMachineArn: ARN, name, input: JSON.stringify(input) });
const describeIt = (on: LocalStepFunctions, name: string) => on.describeExecution({ executionArn: `${ARN}:${name}` });
const journaled = async (execution: string, step: string) =>
  (await journal.send(new GetCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${execution}`, SK: `STEP#${step}` }, ConsistentRead: true }))).Item;

describe('a definition changed while an execution runs', () => {
  // Prepare (a Lambda task) → Approve (a callback task waiting for its token).
  const base = (prepare = 'Prepare', approve = 'Approve'): Definition => ({
    StartAt: prepare,
    States: {
      [prepare]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'prepare', 'Payload.$': '$' },
        ResultSelector: { 'n.$': '$.Payload.n' },
        ResultPath: '$.prepared',
        Next: approve,
      },
      [approve]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
        ResultPath: '$.approval',
        TimeoutSeconds: 3600,
        End: true,
      },
    },
  });

  /** Starts an execution on the original definition, stops that engine while Approve waits, and returns the token. */
  async function interrupted(name: string, calls: string[]): Promise<string> {
    let tokenOf!: (token: string) => void;
    const token = new Promise<string>((resolve) => (tokenOf = resolve));
    const first = engine(base(), async (fn, payload) => {
      calls.push(fn);
      if (fn === 'approve') tokenOf((payload as { token: string }).token);
      return fn === 'prepare' ? { n: calls.length } : {};
    });
    await start(first, name);
    const issued = await token;
    await first.close(); // the engine goes down; the journal stays
    return issued;
  }

  it.each([
    ['a completed state renamed', base('Prepare input'), "'Prepare#1'", "'Prepare input#1'"],
    ['the waiting state renamed', base('Prepare', 'Approve it'), "'Approve#1'", "'Approve it#1'"],
    [
      'a state added before the waiting one',
      (() => {
        const added = base();
        added.States.Prepare!.Next = 'Check';
        added.States.Check = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'check', Payload: {} }, ResultPath: null, Next: 'Approve' };
        return added;
      })(),
      "'Approve#1'",
      "'Check#1'",
    ],
  ])('fails the execution, naming both states, after a restart with %s', async (_case, changed, journaledName, definitionName) => {
    const name = `changed-${journaledName.replace(/\W/g, '')}-${definitionName.replace(/\W/g, '')}`;
    const calls: string[] = [];
    await interrupted(name, calls);
    const restarted = engine(changed, async (fn) => {
      calls.push(fn);
      return { n: 99 };
    });
    await restarted.resumeRunning();
    await restarted.idle();
    const execution = await describeIt(restarted, name);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'LocalStepFunctions.DefinitionChanged' });
    expect(execution.cause).toContain(journaledName);
    expect(execution.cause).toContain(definitionName);
    // No state was fed another state's result, and nothing after the divergence ran.
    expect(calls).toEqual(['prepare', 'approve']);
  });

  it('continues after a restart with the same definition: the journaled result is replayed and the token still works', async () => {
    const calls: string[] = [];
    const token = await interrupted('unchanged-1', calls);
    let reinvoked!: (token: string) => void;
    const waiting = new Promise<string>((resolve) => (reinvoked = resolve));
    const restarted = engine(base(), async (fn, payload) => {
      calls.push(fn);
      if (fn === 'approve') reinvoked((payload as { token: string }).token);
      return { n: 99 };
    });
    await restarted.resumeRunning();
    expect(await waiting).toBe(token);
    await restarted.sendTaskSuccess({ taskToken: token, output: '{"decision":"approve"}' });
    await restarted.idle();
    const execution = await describeIt(restarted, 'unchanged-1');
    expect(execution.status).toBe('SUCCEEDED');
    // Prepare ran once, before the restart; its journaled result (n = 1) is what the execution carries.
    expect(JSON.parse(execution.output!)).toEqual({ prepared: { n: 1 }, approval: { decision: 'approve' } });
    expect(calls.filter((c) => c === 'prepare')).toEqual(['prepare']);
  });
  it('continues an execution journaled before steps were keyed by name (steps by ordinal)', async () => {
    const name = 'legacy-1';
    const put = (Item: Record<string, unknown>) => journal.send(new PutCommand({ TableName: JOURNAL_TABLE, Item }));
    await put({ PK: `EXEC#${name}`, SK: 'EXECUTION', executionArn: `${ARN}:${name}`, name, input: '{}', status: 'RUNNING', startDate: new Date().toISOString() });
    await put({ PK: `EXEC#${name}`, SK: 'STEP#000000', seq: 0, stateName: 'Prepare', status: 'SUCCEEDED', output: { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: { n: 7 } } });
    await put({ PK: `EXEC#${name}`, SK: 'STEP#000001', seq: 1, stateName: 'Approve', status: 'PENDING', token: 'legacy-token' });
    await put({ PK: 'TOKEN#legacy-token', SK: 'TOKEN', execution: name, seq: 1 });
    const calls: string[] = [];
    let invoked!: (token: string) => void;
    const approveInvoked = new Promise<string>((resolve) => (invoked = resolve));
    const on = engine(base(), async (fn, payload) => {
      calls.push(fn);
      if (fn === 'approve') invoked((payload as { token: string }).token);
      return { n: 99 };
    });
    await on.resumeRunning();
    expect(await approveInvoked).toBe('legacy-token');
    await on.sendTaskSuccess({ taskToken: 'legacy-token', output: '{"decision":"approve"}' });
    await on.idle();
    const execution = await describeIt(on, name);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({ prepared: { n: 7 }, approval: { decision: 'approve' } });
    expect(calls).toEqual(['approve']);
  });
});

describe('Map and Parallel states', () => {
  const pass = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });
  it.each([
    ['Parallel', { Type: 'Parallel', Branches: [pass('Left'), pass('Right')], End: true }],
    ['Map', { Type: 'Map', ItemsPath: '$.items', Iterator: pass('Each'), End: true }],
  ])('refuses a definition with a %s state at load, naming the state', (type, state) => {
    expect(() => engine({ StartAt: 'Fan out', States: { 'Fan out': state } })).toThrow(
      new RegExp(`State 'Fan out' is a ${type} state: the local Step Functions engine does not run Map or Parallel states`),
    );
  });
});

describe('Wait states', () => {
  const waitThenDone = (wait: Record<string, unknown>): Definition => ({
    StartAt: 'Pause',
    States: { Pause: { Type: 'Wait', ...wait, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
  });
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

  it.each([
    ['Seconds', { Seconds: 1 }, { a: 1 }, 1000],
    ['Timestamp', { Timestamp: 'at' }, { a: 1 }, 1000],
    ['SecondsPath', { SecondsPath: '$.wait.seconds' }, { wait: { seconds: 1 } }, 1000],
    ['TimestampPath', { TimestampPath: '$.until', OutputPath: '$.keep' }, { until: 'at', keep: { b: 2 } }, 1000],
  ])('runs a Wait with %s and passes its input on', async (kind, wait, input, waitMs) => {
    const at = inSeconds(waitMs / 1000);
    const resolved = JSON.parse(JSON.stringify({ wait, input }).replaceAll('"at"', JSON.stringify(at)));
    const on = engine(waitThenDone(resolved.wait));
    const { startDate } = await start(on, `wait-${kind}`, resolved.input);
    await on.idle();
    const execution = await describeIt(on, `wait-${kind}`);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual(kind === 'TimestampPath' ? { b: 2 } : resolved.input);
    const end = kind.startsWith('Timestamp') ? Date.parse(at) : startDate * 1000 + waitMs;
    expect(execution.stopDate! * 1000).toBeGreaterThanOrEqual(end);
  });

  it('fails the execution with States.Runtime when SecondsPath is not a non-negative integer', async () => {
    const on = engine(waitThenDone({ SecondsPath: '$.seconds' }));
    await start(on, 'wait-bad-seconds', { seconds: -1 });
    await on.idle();
    expect(await describeIt(on, 'wait-bad-seconds')).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  /** Starts a one-hour Wait, lets the engine journal its end, and takes the engine down. */
  async function interruptedWait(name: string) {
    const first = engine(waitThenDone({ Seconds: 3600 }));
    await start(first, name);
    const step = await eventually(() => journaled(name, 'Pause#1'), 'the Wait journaled');
    expect(Date.parse(step.until) - Date.now()).toBeGreaterThan(3500_000);
    await first.close();
  }
  // Stands for time passing while the engine is down (instead of an hour's real wait).
  const moveEnd = (name: string, until: string) =>
    journal.send(new UpdateCommand({ TableName: JOURNAL_TABLE, Key: { PK: `EXEC#${name}`, SK: 'STEP#Pause#1' }, UpdateExpression: 'SET #until = :until', ExpressionAttributeNames: { '#until': 'until' }, ExpressionAttributeValues: { ':until': until } }));

  it('after a restart, waits until the time the Wait journaled (not its Seconds again)', async () => {
    await interruptedWait('wait-restart-1');
    const until = inSeconds(1);
    await moveEnd('wait-restart-1', until);
    const restarted = engine(waitThenDone({ Seconds: 3600 }));
    await restarted.resumeRunning();
    await restarted.idle(); // a Wait counted afresh would take an hour
    const execution = await describeIt(restarted, 'wait-restart-1');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.stopDate! * 1000).toBeGreaterThanOrEqual(Date.parse(until));
    expect((await journaled('wait-restart-1', 'Pause#1'))!.until).toBe(until);
  });

  it('after a restart past the journaled time, proceeds at once', async () => {
    await interruptedWait('wait-restart-2');
    await moveEnd('wait-restart-2', new Date(Date.now() - 60_000).toISOString());
    const restarted = engine(waitThenDone({ Seconds: 3600 }));
    await restarted.resumeRunning();
    await restarted.idle();
    expect((await describeIt(restarted, 'wait-restart-2')).status).toBe('SUCCEEDED');
  });

  it('waits longer than a Node timer can (2^31−1 ms) instead of firing at once', async () => {
    const long = engine(waitThenDone({ Timestamp: inSeconds(30 * 24 * 3600) }));
    await start(long, 'wait-30-days');
    const short = engine(waitThenDone({ Seconds: 1 }));
    await start(short, 'wait-1-second');
    await short.idle();
    expect((await describeIt(short, 'wait-1-second')).status).toBe('SUCCEEDED');
    // Started first, it would have ended first had its timer overflowed.
    expect((await describeIt(long, 'wait-30-days')).status).toBe('RUNNING');
    await long.stopExecution({ executionArn: `${ARN}:wait-30-days` });
  });

  it('re-arms its timer slice after slice until the Wait ends', async () => {
    const on = engine(waitThenDone({ Seconds: 1 }), undefined, { maxTimerMs: 200 });
    const { startDate } = await start(on, 'wait-slices');
    await on.idle();
    const execution = await describeIt(on, 'wait-slices');
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.stopDate! * 1000 - startDate * 1000).toBeGreaterThanOrEqual(1000);
  });
});

describe('callback task timeouts', () => {
  // Approve waits for its token; a timeout goes to Timed out, never to the States.TaskFailed handlers.
  const approval = (timeout: Record<string, unknown>): Definition => ({
    StartAt: 'Approve',
    States: {
      Approve: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'approve', Payload: { 'token.$': '$$.Task.Token' } },
        ...timeout,
        Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 }],
        Catch: [
          { ErrorEquals: ['States.TaskFailed'], Next: 'Task failed' },
          { ErrorEquals: ['States.Timeout'], Next: 'Timed out' },
        ],
        End: true,
      },
      'Task failed': { Type: 'Pass', Result: 'task failed', End: true },
      'Timed out': { Type: 'Pass', Result: 'timed out', End: true },
    },
  });
  const recorder = () => {
    const tokens: string[] = [];
    const invoke = async (_fn: string, payload: unknown) => {
      tokens.push((payload as { token: string }).token);
      return {};
    };
    return { tokens, invoke };
  };

  it('after a restart, times out at the time journaled when the task began, as States.Timeout', async () => {
    const { tokens, invoke } = recorder();
    const first = engine(approval({ TimeoutSeconds: 3600 }), invoke);
    await start(first, 'timeout-restart');
    const step = await eventually(() => journaled('timeout-restart', 'Approve#1'), 'the task journaled');
    expect(Date.parse(step.timeoutAt) - Date.now()).toBeGreaterThan(3500_000);
    await first.close();
    // Stands for the hour passing while the engine is down.
    const timeoutAt = new Date(Date.now() + 1000).toISOString();
    await journal.send(new UpdateCommand({ TableName: JOURNAL_TABLE, Key: { PK: 'EXEC#timeout-restart', SK: 'STEP#Approve#1' }, UpdateExpression: 'SET timeoutAt = :at', ExpressionAttributeValues: { ':at': timeoutAt } }));
    const restarted = engine(approval({ TimeoutSeconds: 3600 }), invoke);
    await restarted.resumeRunning();
    await restarted.idle(); // a timeout counted afresh would take an hour
    const execution = await describeIt(restarted, 'timeout-restart');
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: '"timed out"' });
    expect(execution.stopDate! * 1000).toBeGreaterThanOrEqual(Date.parse(timeoutAt));
    expect(await journaled('timeout-restart', 'Approve#1')).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    // The same token both times: the function is invoked again after the restart, under the journaled token.
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('times out on time, and waits without a timeout, across timer slices, invoking the function once', async () => {
    const timed = recorder();
    const untimed = recorder();
    const timesOut = engine(approval({ TimeoutSeconds: 1 }), timed.invoke, { maxTimerMs: 100 });
    const waits = engine(approval({}), untimed.invoke, { maxTimerMs: 100 });
    const { startDate } = await start(timesOut, 'timeout-sliced');
    await start(waits, 'no-timeout-sliced');
    await timesOut.idle();
    const timedOut = await describeIt(timesOut, 'timeout-sliced');
    expect(timedOut).toMatchObject({ status: 'SUCCEEDED', output: '"timed out"' });
    expect(timedOut.stopDate! * 1000 - startDate * 1000).toBeGreaterThanOrEqual(1000);
    expect(timed.tokens).toHaveLength(1);
    // A second later (ten slices), the task without a timeout still waits, and its token still works.
    expect((await describeIt(waits, 'no-timeout-sliced')).status).toBe('RUNNING');
    await waits.sendTaskSuccess({ taskToken: untimed.tokens[0]!, output: '"approved"' });
    await waits.idle();
    expect(await describeIt(waits, 'no-timeout-sliced')).toMatchObject({ status: 'SUCCEEDED', output: '"approved"' });
    expect(untimed.tokens).toHaveLength(1);
  });
});
