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
