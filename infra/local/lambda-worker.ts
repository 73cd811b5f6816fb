import { parentPort, workerData } from 'node:worker_threads';

/**
 * One local Lambda sandbox: a worker thread with the function's own process.env, serving one invocation
 * at a time, as the Lambda runtime does. The event arrives as JSON and the result leaves as JSON, so
 * nothing but what Lambda would serialize crosses over.
 */
export interface WorkerData {
  moduleUrl: string;
  functionName: string;
  functionArn: string;
  memoryMb: number;
  logGroupName: string;
}

export interface InvokeMessage {
  requestId: string;
  event: string;
  /** Epoch milliseconds when the invocation times out. */
  deadline: number;
}

export type ResultMessage =
  | { requestId: string; ok: true; payload: string }
  | { requestId: string; ok: false; errorType: string; errorMessage: string; trace: string[] };

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const data = workerData as WorkerData;
// NODE_OPTIONS=--enable-source-maps in the template; a worker thread does not read NODE_OPTIONS.
process.setSourceMapsEnabled(true);
// The init phase: the module is loaded before the first invocation, whose timeout starts after it.
const handler: Promise<Handler> = import(data.moduleUrl).then((module: { handler?: Handler }) => {
  if (typeof module.handler !== 'function') throw Object.assign(new Error(`${data.moduleUrl} exports no handler`), { name: 'Runtime.HandlerNotFound' });
  return module.handler;
});
// A failed init is reported by each invocation, as Lambda does.
handler.then(
  () => parentPort!.postMessage({ ready: true }),
  () => parentPort!.postMessage({ ready: true }),
);

parentPort!.on('message', async ({ requestId, event, deadline }: InvokeMessage) => {
  try {
    const context = {
      functionName: data.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: data.functionArn,
      memoryLimitInMB: String(data.memoryMb),
      awsRequestId: requestId,
      logGroupName: data.logGroupName,
      logStreamName: `local/[$LATEST]${data.functionName}`,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const result = await (await handler)(JSON.parse(event), context);
    parentPort!.postMessage({ requestId, ok: true, payload: JSON.stringify(result) ?? 'null' } satisfies ResultMessage);
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    parentPort!.postMessage({
      requestId,
      ok: false,
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    } satisfies ResultMessage);
  }
});
