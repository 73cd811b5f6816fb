/** An error the Step Functions API answers with (400, `__type` = type). */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** An error as a state sees it: Retry and Catch match on its name. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** An error that ends the execution: no Retry or Catch (not even States.ALL) handles it, as AWS treats States.Runtime. */
export function terminalError(name: string, message: string): Error {
  return Object.assign(namedError(name, message), { isRetryable: false, isCatchable: false });
}

/**
 * The library's own States.Timeout error, which it does not export: Retry and Catch must not match it with
 * States.TaskFailed (as in AWS), and they tell it by its class. Taken once from a task that times out at once.
 */
const statesTimeoutClass: Promise<(new () => Error) | undefined> = (async () => {
  const { StateMachine, ExecutionError } = await import('aws-local-stepfunctions');
  const probe = new StateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:local:0:function:probe', TimeoutSeconds: 0.001, End: true } } } as never, {
    validationOptions: { noValidate: true },
  });
  const { result } = probe.run({}, { overrides: { taskResourceLocalHandlers: { T: () => new Promise(() => undefined) } } });
  try {
    await result;
  } catch (error) {
    const cause = error instanceof ExecutionError ? (error.cause as Error) : undefined;
    if (cause?.name === 'States.Timeout') return cause.constructor as new () => Error;
  }
  return undefined;
})();

/** A States.Timeout as the library raises it (a plain named error should the library change). */
export async function statesTimeout(): Promise<Error> {
  const StatesTimeout = await statesTimeoutClass;
  return StatesTimeout ? new StatesTimeout() : namedError('States.Timeout', 'States.Timeout');
}
