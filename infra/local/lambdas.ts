import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Bundles } from './bundle.js';
import type { LocalFunction } from './functions.js';
import type { InvokeMessage, ResultMessage, WorkerData } from './lambda-worker.js';
import { QUOTAS } from './quotas.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Which credentials a function's sandbox gets: in AWS, its execution role's session. */
export type CredentialsFor = (functionLogicalId: string, roleLogicalId: string) => Credentials;

export const LOCAL_CREDENTIALS: CredentialsFor = () => ({ accessKeyId: 'local', secretAccessKey: 'local' });

export interface LocalLambdasOptions {
  /** The functions' code, bundled as for the deployment (bundleFunctions). */
  bundles: Bundles;
  region: string;
  account: string;
  /** AWS_ENDPOINT_URL_* variables pointing the SDK at the local services (added to every function). */
  endpoints: Record<string, string>;
  credentialsFor?: CredentialsFor;
  /**
   * Variables added only to functions whose template has the named variable: the local stand-in for a
   * secret that the function is allowed to read (e.g. PERSON_KEY_SECRET beside PERSON_KEY_SECRET_ARN).
   */
  grants?: { ifVariable: string; add: Record<string, string> }[];
  /** Overrides POWERTOOLS_LOG_LEVEL (there is no CloudWatch here: the level only decides what is printed). */
  logLevel?: string;
  /** Waits before the two retries of a failed asynchronous invocation (AWS: about 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly [number, number];
  /** Sandboxes per function at most; further invocations wait for a free one (AWS scales out instead). */
  maxSandboxes?: number;
}

/** What a function's error looks like to its caller (the Invoke response's payload with X-Amz-Function-Error). */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeOutcome = { payload: unknown } | { functionError: FunctionError };

/** An Invoke API error (not a function error): the function never ran. */
export class LambdaServiceError extends Error {
  constructor(
    name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = name;
  }
}

/** Where an asynchronous invocation ended up, as Lambda reports it to a destination. */
export interface AsyncOutcome {
  condition: 'Success' | 'RetriesExhausted';
  approximateInvokeCount: number;
  responsePayload?: unknown;
  functionError?: FunctionError;
}

class Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  #pending?: { requestId: string; resolve: (message: ResultMessage) => void };
  #dead?: FunctionError;

  constructor(fn: LocalFunction, env: Record<string, string>, bundles: Bundles, account: string, region: string) {
    const data: WorkerData = {
      moduleUrl: bundles.moduleUrl(fn.entry),
      functionName: fn.logicalId,
      functionArn: `arn:aws:lambda:${region}:${account}:function:${fn.logicalId}`,
      memoryMb: fn.memoryMb,
      logGroupName: `/aws/lambda/${fn.logicalId}`,
    };
    this.worker = new Worker(bundles.workerUrl, {
      workerData: data,
      env,
      execArgv: [],
      // The heap approximates MemorySize; Lambda counts the whole process, so this is looser.
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    let ready!: () => void;
    this.ready = new Promise((resolve) => (ready = resolve));
    this.worker.on('message', (message: ResultMessage | { ready: true }) => {
      if ('ready' in message) return ready();
      const pending = this.#pending;
      if (pending?.requestId === message.requestId) {
        this.#pending = undefined;
        pending.resolve(message);
      }
    });
    const died = (errorType: string, detail: string) => {
      this.#dead ??= { errorType, errorMessage: `Runtime exited with error: ${detail}` };
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.resolve({ requestId: pending.requestId, ok: false, ...this.#dead, trace: [] });
      ready();
    };
    this.worker.on('error', (error: Error & { code?: string }) =>
      died(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', error.message),
    );
    this.worker.on('exit', (code) => died('Runtime.ExitError', `exit status ${code}`));
  }

  get dead(): boolean {
    return this.#dead !== undefined;
  }

  run(message: InvokeMessage): Promise<ResultMessage> {
    return new Promise((resolve) => {
      if (this.#dead) return resolve({ requestId: message.requestId, ok: false, ...this.#dead, trace: [] });
      this.#pending = { requestId: message.requestId, resolve };
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.#dead ??= { errorType: 'Runtime.ExitError', errorMessage: 'sandbox stopped' };
    await this.worker.terminate();
  }
}

/** The sandboxes of one function: one invocation per sandbox at a time, idle ones reused. */
class FunctionRuntime {
  readonly #idle: Sandbox[] = [];
  readonly #all = new Set<Sandbox>();
  readonly #waiting: (() => void)[] = [];
  #closed = false;

  constructor(
    readonly fn: LocalFunction,
    private readonly env: Record<string, string>,
    private readonly options: { bundles: Bundles; account: string; region: string; maxSandboxes: number },
  ) {}

  async invoke(event: string): Promise<{ result: ResultMessage; milliseconds: number }> {
    const sandbox = await this.#acquire();
    const requestId = randomUUID();
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<ResultMessage>((resolve) => {
      timer = setTimeout(() => {
        // As Lambda does: the sandbox is stopped, whatever the handler was doing.
        void sandbox.terminate();
        resolve({
          requestId,
          ok: false,
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`,
          trace: [],
        });
      }, timeoutMs);
    });
    try {
      const result = await Promise.race([sandbox.run({ requestId, event, deadline: started + timeoutMs }), timedOut]);
      return { result, milliseconds: Date.now() - started };
    } finally {
      clearTimeout(timer);
      this.#release(sandbox);
    }
  }

  async #acquire(): Promise<Sandbox> {
    for (;;) {
      if (this.#closed) throw new LambdaServiceError('ServiceException', 'The local Lambda service has stopped', 500);
      const idle = this.#idle.pop();
      if (idle && !idle.dead) return idle;
      if (idle) {
        // It died while idle (an error thrown after its invocation returned).
        this.#all.delete(idle);
        continue;
      }
      if (this.#all.size < this.options.maxSandboxes) {
        const sandbox = new Sandbox(this.fn, this.env, this.options.bundles, this.options.account, this.options.region);
        this.#all.add(sandbox);
        await sandbox.ready;
        return sandbox;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #release(sandbox: Sandbox): void {
    if (sandbox.dead) {
      this.#all.delete(sandbox);
      void sandbox.terminate();
    } else {
      this.#idle.push(sandbox);
    }
    this.#waiting.shift()?.();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.splice(0).forEach((wake) => wake());
    await Promise.all([...this.#all].map((sandbox) => sandbox.terminate()));
    this.#all.clear();
    this.#idle.length = 0;
  }
}

/**
 * The local Lambda service: each function runs in worker threads of its own ("sandboxes") with exactly
 * the environment its template gives it plus what the Lambda runtime sets, stopped at its timeout, with
 * Lambda's payload limits, and synchronous or asynchronous (retried twice) invocation.
 */
export class LocalLambdas {
  readonly #byLogicalId = new Map<string, FunctionRuntime>();
  readonly #byEntry = new Map<string, FunctionRuntime>();
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  readonly #asyncRetryDelaysMs: readonly [number, number];
  #closed = false;
  /** Invocations and their durations per function entry, as the Lambda service would bill them. */
  readonly invocations = new Map<string, { count: number; milliseconds: number }>();

  constructor(
    readonly functions: readonly LocalFunction[],
    options: LocalLambdasOptions,
  ) {
    const credentialsFor = options.credentialsFor ?? LOCAL_CREDENTIALS;
    this.#asyncRetryDelaysMs = options.asyncRetryDelaysMs ?? [60_000, 120_000];
    for (const fn of functions) {
      const credentials = credentialsFor(fn.logicalId, fn.roleLogicalId);
      const env: Record<string, string> = {
        ...fn.environment,
        ...Object.assign({}, ...(options.grants ?? []).filter((grant) => grant.ifVariable in fn.environment).map((grant) => grant.add)),
        ...(options.logLevel ? { POWERTOOLS_LOG_LEVEL: options.logLevel } : {}),
        // What the Lambda runtime sets in every sandbox.
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        ...options.endpoints,
      };
      const runtime = new FunctionRuntime(fn, env, {
        bundles: options.bundles,
        account: options.account,
        region: options.region,
        maxSandboxes: options.maxSandboxes ?? 4,
      });
      this.#byLogicalId.set(fn.logicalId, runtime);
      this.#byEntry.set(fn.entry, runtime);
    }
  }

  /** The function's logical id for a source entry (each entry is one function). */
  logicalIdOf(entry: string): string {
    const runtime = this.#byEntry.get(entry);
    if (!runtime) throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${entry}`, 404);
    return runtime.fn.logicalId;
  }

  #runtime(functionName: string): FunctionRuntime {
    // By name or ARN: the local names are the logical ids.
    const runtime = this.#byLogicalId.get(functionName.split(':').at(-1)!);
    if (!runtime) throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${functionName}`, 404);
    return runtime;
  }

  async #run(runtime: FunctionRuntime, event: string): Promise<{ result: ResultMessage }> {
    const { result, milliseconds } = await runtime.invoke(event);
    const seen = this.invocations.get(runtime.fn.entry) ?? { count: 0, milliseconds: 0 };
    this.invocations.set(runtime.fn.entry, { count: seen.count + 1, milliseconds: seen.milliseconds + milliseconds });
    return { result };
  }

  /** Invoke with InvocationType RequestResponse: the payload, or the function's error. */
  async invoke(functionName: string, event: unknown): Promise<InvokeOutcome> {
    const runtime = this.#runtime(functionName);
    const request = JSON.stringify(event) ?? 'null';
    const bytes = Buffer.byteLength(request);
    if (bytes > QUOTAS.lambdaSyncRequestBytes) {
      throw new LambdaServiceError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${QUOTAS.lambdaSyncRequestBytes} bytes for the InvokeFunction operation`,
        413,
      );
    }
    const { result } = await this.#run(runtime, request);
    if (!result.ok) return { functionError: { errorType: result.errorType, errorMessage: result.errorMessage, trace: result.trace } };
    if (Buffer.byteLength(result.payload) > QUOTAS.lambdaSyncResponseBytes) {
      return {
        functionError: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${QUOTAS.lambdaSyncResponseBytes} bytes).`,
        },
      };
    }
    return { payload: JSON.parse(result.payload) };
  }

  /**
   * A synchronous invocation as a caller that treats a function error as an exception (Step Functions'
   * task, a test): the error's name is the errorType, its message the Invoke response's error payload.
   */
  async invokeFunction(functionName: string, event: unknown): Promise<unknown> {
    const outcome = await this.invoke(functionName, event);
    if ('payload' in outcome) return outcome.payload;
    const error = new Error(JSON.stringify(outcome.functionError));
    error.name = outcome.functionError.errorType;
    throw error;
  }

  /** As invokeFunction, naming the function by its source entry. */
  invokeEntry(entry: string, event: unknown): Promise<unknown> {
    return this.invokeFunction(this.logicalIdOf(entry), event);
  }

  /**
   * Invoke with InvocationType Event (EventBridge, S3 notifications): accepted at once; a failed attempt
   * (error or timeout) is run up to two more times. `done` tells where it ended, as a destination would.
   */
  invokeAsync(functionName: string, event: unknown): { requestId: string; done: Promise<AsyncOutcome> } {
    const runtime = this.#runtime(functionName);
    const request = JSON.stringify(event) ?? 'null';
    if (Buffer.byteLength(request) > QUOTAS.lambdaAsyncRequestBytes) {
      throw new LambdaServiceError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${QUOTAS.lambdaAsyncRequestBytes} bytes for the InvokeFunction operation`,
        413,
      );
    }
    const done = (async (): Promise<AsyncOutcome> => {
      for (let attempt = 1; ; attempt++) {
        let result: ResultMessage;
        try {
          ({ result } = await this.#run(runtime, request));
        } catch (error) {
          // The service stopped under it: nothing more will run.
          return { condition: 'RetriesExhausted', approximateInvokeCount: attempt, functionError: { errorType: (error as Error).name, errorMessage: (error as Error).message } };
        }
        if (result.ok) return { condition: 'Success', approximateInvokeCount: attempt, responsePayload: JSON.parse(result.payload) };
        const functionError = { errorType: result.errorType, errorMessage: result.errorMessage, trace: result.trace };
        if (attempt > QUOTAS.lambdaAsyncRetries || this.#closed) return { condition: 'RetriesExhausted', approximateInvokeCount: attempt, functionError };
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.#retryTimers.delete(timer);
            resolve();
          }, this.#asyncRetryDelaysMs[attempt - 1]);
          this.#retryTimers.add(timer);
        });
      }
    })();
    return { requestId: randomUUID(), done };
  }

  /** Stops every sandbox (and pending retries): the process can then exit. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    await Promise.all([...this.#byLogicalId.values()].map((runtime) => runtime.close()));
  }
}
