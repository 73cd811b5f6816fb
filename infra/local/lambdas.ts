import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionEntry } from '../stack.js';
import { PROJECT_ROOT } from './paths.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Runs the project's Lambda handlers in this process, as the Lambda service would invoke them. */
export class LocalLambdas {
  readonly #byLogicalId = new Map<string, string>();
  readonly #loaded = new Map<string, Promise<Handler>>();
  /** Invocations and their durations per function entry, as the Lambda service would bill them. */
  readonly invocations = new Map<string, { count: number; milliseconds: number }>();

  constructor(functions: readonly FunctionEntry[]) {
    for (const { logicalId, entry } of functions) this.#byLogicalId.set(logicalId, entry);
  }

  /** Invokes by function name or ARN (the local ARNs end with the function's logical id). */
  async invokeFunction(functionName: string, payload: unknown): Promise<unknown> {
    const logicalId = functionName.split(':').at(-1)!;
    const entry = this.#byLogicalId.get(logicalId);
    if (!entry) throw new Error(`No local function ${functionName}`);
    return this.invokeEntry(entry, payload);
  }

  async invokeEntry(entry: string, event: unknown): Promise<unknown> {
    let handler = this.#loaded.get(entry);
    if (!handler) {
      handler = import(pathToFileURL(path.join(PROJECT_ROOT, entry)).href).then((module) => module.handler as Handler);
      this.#loaded.set(entry, handler);
    }
    const started = Date.now();
    const context = {
      functionName: entry,
      functionVersion: '$LATEST',
      awsRequestId: randomUUID(),
      memoryLimitInMB: '512',
      getRemainingTimeInMillis: () => 30_000 - (Date.now() - started),
    } as unknown as Context;
    try {
      return await (await handler)(event, context);
    } finally {
      const seen = this.invocations.get(entry) ?? { count: 0, milliseconds: 0 };
      this.invocations.set(entry, { count: seen.count + 1, milliseconds: seen.milliseconds + (Date.now() - started) });
    }
  }
}
