import { randomBytes } from 'node:crypto';
import { ExecutionAbortedError, ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { QUOTAS, jsonBytes } from './quotas.js';
import { DEFINITION_CHANGED_ERROR, type PreparedDefinition, REARM_ERROR, type TaskSpec, type WaitSpec, retryIntervals, waitEnd } from './step-functions-definition.js';
import { namedError, statesTimeout, terminalError } from './step-functions-errors.js';
import { type ExecutionItem, type Journal, type JournalStep, type Json, type StepItem, stepKey, stepSortKey } from './step-functions-journal.js';
import { MAX_TIMER_MS, type TaskTokenWaiters, waitUntil } from './step-functions-waiters.js';

/** What `$$.Task.Token` resolves to inside the library; each callback task swaps in a token of its own. */
const TASK_TOKEN_PLACEHOLDER = 'local-step-functions:task-token';

export type InvokeFunction = (functionName: string, payload: Json) => Promise<Json>;

export interface ExecutorOptions {
  stateMachineArn: string;
  definition: PreparedDefinition;
  journal: Journal;
  waiters: TaskTokenWaiters;
  invokeFunction: InvokeFunction;
  /** Milliseconds between retries per state, instead of the definition's backoff (tests only). */
  retryIntervalOverrides?: Record<string, number>;
  /** The longest single timer of a Wait (tests shorten it to see waits re-armed). */
  maxTimerMs?: number;
  onStateEntered: () => void;
}

/**
 * Where one run of an execution stands against its journal. Each journaled state's entries are counted
 * (`Assess#1`, `Assess#2` after a revision); a replay must meet the journaled entries in the order they
 * were written, so a definition that renamed, added or removed a state on the way fails the execution
 * with DEFINITION_CHANGED_ERROR instead of handing one state's result to another.
 */
class ReplayPosition {
  readonly #entries = new Map<string, number>();
  readonly #attempted = new Set<string>();
  readonly #consumed = new Set<string>();
  /** Callback outcomes by token, kept across a long wait's slices; never rejected. */
  readonly outcomes = new Map<string, Promise<{ output: Json } | { error: Error }>>();
  #nextSeq: number;

  constructor(
    private readonly execution: string,
    private readonly steps: Map<string, JournalStep>,
  ) {
    this.#nextSeq = Math.max(-1, ...[...steps.values()].map((step) => step.seq)) + 1;
  }

  /** Enters a state: its entry number, its journaled step, and whether this is the entry's first attempt in this run. */
  enter(stateName: string): { entry: number; first: boolean; step: JournalStep | undefined } {
    const entry = (this.#entries.get(stateName) ?? 0) + 1;
    this.#entries.set(stateName, entry);
    const key = stepKey(stateName, entry);
    const first = !this.#attempted.has(key);
    this.#attempted.add(key);
    if (first) {
      const expected = [...this.steps.keys()].find((k) => !this.#consumed.has(k));
      if (expected !== undefined && expected !== key) {
        throw terminalError(
          DEFINITION_CHANGED_ERROR,
          `The journal of execution ${this.execution} has '${expected}' next, but the state machine now enters '${key}': ` +
            'its definition changed while the execution ran (a state renamed, added or removed). Start a new execution.',
        );
      }
      this.#consumed.add(key);
    }
    return { entry, first, step: this.steps.get(key) };
  }

  /** A failed attempt gives its entry number back: the state's Retry enters the same entry again. */
  leave(stateName: string): void {
    this.#entries.set(stateName, (this.#entries.get(stateName) ?? 1) - 1);
  }

  /** The journal item for an entry, new or replacing the entry's earlier attempt. */
  step(stateName: string, entry: number, fields: Omit<StepItem, 'stateName' | 'entry' | 'seq'>): JournalStep {
    const key = stepKey(stateName, entry);
    const earlier = this.steps.get(key);
    const step: JournalStep = { stateName, entry, seq: earlier?.seq ?? this.#nextSeq++, sk: earlier?.sk ?? stepSortKey({ stateName, entry }), ...fields };
    this.steps.set(key, step);
    this.#consumed.add(key);
    return step;
  }
}

/**
 * Runs executions with aws-local-stepfunctions, journaling each Task's outcome, each callback task's
 * token and each Wait's end, and replaying them: after a restart (or a redrive) a journaled outcome is
 * returned instead of invoking again, a callback task waits again under its token, and a Wait waits until
 * the same time. `lambda:invoke` results are wrapped as AWS wraps them ({ExecutedVersion, StatusCode, Payload}).
 */
export class ReplayingExecutor {
  readonly #machine: StateMachine;
  readonly #running = new Map<string, { abort: () => void; done: Promise<void> }>();

  constructor(private readonly options: ExecutorOptions) {
    this.#machine = new StateMachine(options.definition.asl as never, { validationOptions: { checkArn: false } });
  }

  run(execution: ExecutionItem): void {
    const { journal, definition } = this.options;
    const controller = new AbortController();
    const position = journal.steps(execution.name).then((steps) => new ReplayPosition(execution.name, steps));
    position.catch(() => undefined); // a failed read fails the first journaled state
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, task] of definition.tasks) {
      handlers[stateName] = async (input) => this.#task(execution, await position, stateName, task, input, controller.signal);
    }
    for (const [stateName, spec] of definition.waits) {
      handlers[stateName] = async (input) => this.#wait(execution, await position, stateName, spec, input as WaitInput, controller.signal);
    }
    const context = {
      Execution: { Id: execution.executionArn, Name: execution.name, Input: JSON.parse(execution.input), StartTime: execution.startDate },
      StateMachine: { Id: this.options.stateMachineArn, Name: this.options.stateMachineArn.split(':').at(-1) },
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
    const { abort, result, eventLogs } = this.#machine.run(JSON.parse(execution.input), {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retryIntervals(definition, this.options.retryIntervalOverrides) },
      context: context as never,
    });
    void (async () => {
      for await (const event of eventLogs) if (event.type === 'StateEntered') this.options.onStateEntered();
    })().catch(() => undefined);
    const done = result
      .then((output) => journal.finish(execution.name, { status: 'SUCCEEDED', output: JSON.stringify(output) }))
      .catch((error: Error) => {
        if (error instanceof ExecutionAbortedError) return;
        const cause = error instanceof ExecutionError ? (error.cause as Error | undefined) : error;
        return journal.finish(execution.name, { status: 'FAILED', error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? String(error) });
      })
      .catch((error) => process.stderr.write(`local step functions: ${String(error)}\n`))
      .finally(() => {
        this.#running.delete(execution.name);
        controller.abort(); // no timer outlives its execution
      })
      .then(() => undefined);
    this.#running.set(execution.name, {
      abort: () => {
        controller.abort();
        abort();
      },
      done,
    });
  }

  abort(name: string): void {
    this.#running.get(name)?.abort();
  }

  abortAll(): void {
    for (const { abort } of this.#running.values()) abort();
  }

  /** Resolves when no execution is running in this process. */
  async idle(): Promise<void> {
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  async #task(execution: ExecutionItem, position: ReplayPosition, stateName: string, task: TaskSpec, input: Json, signal: AbortSignal): Promise<Json> {
    const { entry, first, step } = position.enter(stateName);
    try {
      // An outcome is replayed on the entry's first attempt; a Retry after it is a new attempt. A retried
      // callback task keeps its pending token.
      const journaled = first || step?.status === 'PENDING' ? step : undefined;
      if (journaled?.status === 'SUCCEEDED') return journaled.output;
      if (journaled?.status === 'FAILED') throw journaled.error === 'States.Timeout' ? await statesTimeout() : namedError(journaled.error ?? '', journaled.cause ?? '');
      const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
      if (jsonBytes(input) > QUOTAS.stepFunctionsPayloadBytes) {
        throw terminalError('States.DataLimitExceeded', `The state/task '${stateName}' has an input with a size exceeding the maximum number of bytes service limit.`);
      }
      if (!task.callback) {
        const result = { ExecutedVersion: '$LATEST', StatusCode: 200, Payload: await this.options.invokeFunction(FunctionName, Payload) };
        if (jsonBytes(result) > QUOTAS.stepFunctionsPayloadBytes) {
          throw terminalError('States.DataLimitExceeded', `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
        }
        await this.options.journal.putStep(execution.name, position.step(stateName, entry, { status: 'SUCCEEDED', output: result }));
        return result;
      }
      // A callback task: its own token (the journaled one on replay) replaces the placeholder that
      // $$.Task.Token resolved to, and is journaled, with when it times out, before the function sees it.
      let pending = journaled;
      if (!pending?.token) {
        const seconds = task.ownTimeout ? task.ownTimeout.seconds : undefined;
        pending = position.step(stateName, entry, {
          status: 'PENDING',
          token: randomBytes(48).toString('base64url'),
          ...(seconds !== undefined ? { timeoutAt: new Date(Date.now() + seconds * 1000).toISOString() } : {}),
        });
        await this.options.journal.putStep(execution.name, pending);
      }
      const token = pending.token!;
      let outcome = position.outcomes.get(token);
      if (!outcome) {
        // Invoked once per token in this run (again after a restart: the function may never have run).
        const waiting = this.options.waiters.wait(token, execution.name).then((output) => ({ output }), (error: Error) => ({ error }));
        await this.options.invokeFunction(FunctionName, JSON.parse(JSON.stringify(Payload).replaceAll(TASK_TOKEN_PLACEHOLDER, token)));
        position.outcomes.set(token, (outcome = waiting));
      }
      const settled = task.ownTimeout ? await this.#untilTimeout(outcome, pending.timeoutAt, signal) : await outcome;
      if (settled === 'timeout') {
        // Unless a callback got in first, the token is spent (SendTask* now answer TaskTimedOut).
        const timedOut = position.step(stateName, entry, { status: 'FAILED', token, error: 'States.Timeout', cause: 'The task timed out' });
        if (await this.options.journal.timeOut(execution.name, timedOut)) {
          const error = await statesTimeout();
          this.options.waiters.reject(token, error); // nobody waits for this token any more
          throw error;
        }
        const late = await outcome;
        if ('output' in late) return late.output;
        throw late.error;
      }
      if ('output' in settled) return settled.output;
      // A retry of a failed callback is a new attempt, with a new token.
      position.step(stateName, entry, { status: 'FAILED', token, error: settled.error.name, cause: settled.error.message });
      throw settled.error;
    } catch (error) {
      position.leave(stateName);
      throw error;
    }
  }

  /**
   * A callback's outcome, or 'timeout' at the journaled time (the same after a restart). One timer
   * slice at a time: at the end of a slice the task is re-armed by its Retry.
   */
  async #untilTimeout<T>(outcome: Promise<T>, timeoutAt: string | undefined, signal: AbortSignal): Promise<T | 'timeout'> {
    const ends = timeoutAt ? Date.parse(timeoutAt) : Number.POSITIVE_INFINITY;
    const timer = new AbortController();
    const stop = () => timer.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      const slice = waitUntil(Math.min(ends, Date.now() + (this.options.maxTimerMs ?? MAX_TIMER_MS)), timer.signal, this.options.maxTimerMs);
      const first = await Promise.race([outcome.then((value) => ({ value })), slice.then(() => undefined)]);
      if (first) return first.value;
    } finally {
      timer.abort();
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) throw terminalError('States.Aborted', 'Execution stopped');
    if (Date.now() < ends) throw namedError(REARM_ERROR, 'Still waiting for the task token');
    return 'timeout';
  }

  /** A Wait state: its end is journaled when it is first entered, and a replay waits until that same time. */
  async #wait(execution: ExecutionItem, position: ReplayPosition, stateName: string, spec: WaitSpec, input: WaitInput, signal: AbortSignal): Promise<Json> {
    const { entry, step } = position.enter(stateName);
    try {
      let until = step?.until ? Date.parse(step.until) : undefined;
      if (until === undefined) {
        const end = waitEnd(spec, input, Date.now());
        if (end instanceof Error) throw terminalError('States.Runtime', `The Wait state '${stateName}' cannot wait: ${end.message}`);
        until = end;
        await this.options.journal.putStep(execution.name, position.step(stateName, entry, { status: 'WAITING', until: new Date(until).toISOString() }));
      }
      if (!(await waitUntil(until, signal, this.options.maxTimerMs))) {
        if (signal.aborted) throw terminalError('States.Aborted', 'Execution stopped');
        throw namedError(REARM_ERROR, `Still waiting until ${new Date(until).toISOString()}`); // the next slice
      }
      return input.input;
    } catch (error) {
      position.leave(stateName);
      throw error;
    }
  }
}

/** What a Wait's stand-in task receives: its input, and what SecondsPath/TimestampPath resolved to. */
interface WaitInput {
  input: Json;
  seconds?: unknown;
  timestamp?: unknown;
}
