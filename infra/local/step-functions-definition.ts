import { StateMachine } from 'aws-local-stepfunctions';

/**
 * Turns a state machine definition into what the local engine gives aws-local-stepfunctions, and says
 * which states the engine journals (Task and Wait states).
 */

/** Node's timers cannot wait longer than 2^31−1 ms; AWS has no default task timeout (the library's is 60 s). */
export const MAX_LOCAL_TIMEOUT_SECONDS = 2_147_483;

/** A Wait state runs as a Task of this resource, so that the engine journals when it ends. */
const WAIT_RESOURCE = 'arn:aws:states:::local:wait';

/**
 * Thrown by a long wait (a Wait state, a callback task) at the end of each timer slice; a Retry the
 * engine puts first in the state's Retry list runs it again at once.
 */
export const REARM_ERROR = 'LocalStepFunctions.WaitRearmed';
const REARM_RETRIER = { ErrorEquals: [REARM_ERROR], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 99_999_999 };

/** The error of an execution whose journal no longer matches the definition it is replayed with. */
export const DEFINITION_CHANGED_ERROR = 'LocalStepFunctions.DefinitionChanged';

type State = Record<string, unknown>;

/** A Wait's fixed time; SecondsPath and TimestampPath are resolved by the library into the task's Parameters. */
export interface WaitSpec {
  seconds?: number;
  timestamp?: string;
}

export interface TaskSpec {
  callback: boolean;
  /**
   * A callback task whose timeout the engine keeps itself (journaled, so that it survives a restart, and
   * longer than a Node timer): its TimeoutSeconds, none if undefined. False: the library keeps it (a
   * Lambda task's attempt, or TimeoutSecondsPath).
   */
  ownTimeout: false | { seconds: number | undefined };
  /** The definition's own retriers (after the engine's re-arm retrier, if any). */
  retriers: number;
}

export interface PreparedDefinition {
  /** The definition the library runs. */
  asl: Record<string, unknown>;
  tasks: Map<string, TaskSpec>;
  waits: Map<string, WaitSpec>;
}

const UNSUPPORTED = ['Map', 'Parallel'];

export function prepareDefinition(definition: Record<string, unknown>): PreparedDefinition {
  // Validated as given first, so that errors name the definition's own fields (asl-validator mutates its input).
  new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: false } });
  const asl = structuredClone(definition) as { States: Record<string, State> };
  const tasks = new Map<string, TaskSpec>();
  const waits = new Map<string, WaitSpec>();
  for (const [name, state] of Object.entries(asl.States)) {
    if (UNSUPPORTED.includes(String(state.Type))) {
      // The journal replays one path of states; branches and iterations would need keys of their own.
      throw new Error(
        `State '${name}' is a ${String(state.Type)} state: the local Step Functions engine does not run Map or Parallel states. ` +
          'Use Task, Choice, Wait, Pass, Succeed and Fail states, or run this state machine in AWS.',
      );
    }
    if (state.Type === 'Task') {
      const callback = String(state.Resource).endsWith('.waitForTaskToken');
      const retriers = Array.isArray(state.Retry) ? state.Retry.length : 0;
      if (callback && state.TimeoutSecondsPath === undefined) {
        tasks.set(name, { callback, ownTimeout: { seconds: state.TimeoutSeconds === undefined ? undefined : Number(state.TimeoutSeconds) }, retriers });
        state.TimeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
        state.Retry = [REARM_RETRIER, ...((state.Retry as unknown[]) ?? [])];
        continue;
      }
      const unlimited = state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined;
      if (unlimited || Number(state.TimeoutSeconds) > MAX_LOCAL_TIMEOUT_SECONDS) state.TimeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
      tasks.set(name, { callback, ownTimeout: false, retriers });
    }
    if (state.Type === 'Wait') {
      const { Type: _wait, Seconds, Timestamp, SecondsPath, TimestampPath, ...rest } = state;
      waits.set(name, { ...(Seconds !== undefined ? { seconds: Number(Seconds) } : {}), ...(Timestamp !== undefined ? { timestamp: String(Timestamp) } : {}) });
      // A Wait's output is its input (after InputPath), then OutputPath: the task returns `input`.
      asl.States[name] = {
        ...rest,
        Type: 'Task',
        Resource: WAIT_RESOURCE,
        Parameters: {
          'input.$': '$',
          ...(SecondsPath !== undefined ? { 'seconds.$': SecondsPath } : {}),
          ...(TimestampPath !== undefined ? { 'timestamp.$': TimestampPath } : {}),
        },
        TimeoutSeconds: MAX_LOCAL_TIMEOUT_SECONDS,
        Retry: [REARM_RETRIER],
      };
    }
  }
  return { asl, tasks, waits };
}

/**
 * Retry intervals for the library: the caller's (milliseconds per state, tests only), and none before a
 * re-armed slice. The library takes a number for all of a state's retriers, or one per retrier (−1: as
 * the definition says).
 */
export function retryIntervals(prepared: PreparedDefinition, overrides: Record<string, number> = {}): Record<string, number | number[]> {
  const intervals: Record<string, number | number[]> = { ...overrides };
  for (const name of prepared.waits.keys()) intervals[name] = 0;
  for (const [name, task] of prepared.tasks) {
    if (task.ownTimeout) intervals[name] = [0, ...Array<number>(task.retriers).fill(overrides[name] ?? -1)];
  }
  return intervals;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * When a Wait that starts at `now` ends (epoch ms). `resolved` holds what the library resolved from
 * SecondsPath/TimestampPath; values AWS refuses fail the execution with States.Runtime.
 */
export function waitEnd(spec: WaitSpec, resolved: { seconds?: unknown; timestamp?: unknown }, now: number): number | Error {
  const seconds = spec.seconds ?? resolved.seconds;
  const timestamp = spec.timestamp ?? resolved.timestamp;
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds) || (seconds as number) < 0) return new Error(`The Wait's seconds (${JSON.stringify(seconds)}) are not a non-negative integer`);
    return now + (seconds as number) * 1000;
  }
  if (typeof timestamp !== 'string' || !RFC3339.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return new Error(`The Wait's timestamp (${JSON.stringify(timestamp)}) is not an RFC 3339 timestamp`);
  }
  return Date.parse(timestamp);
}
