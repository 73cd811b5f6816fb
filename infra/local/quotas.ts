/**
 * The AWS quotas the local stack enforces, in one place. Sources (checked November 2026):
 * - Lambda Invoke API reference: synchronous payload 6 MB (request and response), asynchronous 1 MB
 *   (raised from 256 KB in 2025); an asynchronous invocation that fails is run up to two more times.
 *   https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 * - Lambda function timeout: 3 s when the template sets none (AWS::Lambda::Function `Timeout`).
 * - HTTP API quotas: payload 10 MB, maximum integration timeout 30 s.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 * - Step Functions: 256 KiB per state input/output; a larger one fails the execution with
 *   States.DataLimitExceeded, which no Retry or Catch handles.
 *   https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export const QUOTAS = {
  lambdaSyncRequestBytes: 6 * 1024 * 1024,
  // Lambda's own error text names 6291556 bytes for responses.
  lambdaSyncResponseBytes: 6 * 1024 * 1024 + 100,
  lambdaAsyncRequestBytes: 1024 * 1024,
  lambdaAsyncRetries: 2,
  lambdaDefaultTimeoutSeconds: 3,
  lambdaDefaultMemoryMb: 128,
  httpApiPayloadBytes: 10 * 1024 * 1024,
  httpApiIntegrationTimeoutMs: 30_000,
  stepFunctionsPayloadBytes: 256 * 1024,
} as const;

/** Size of a payload as the services count it: UTF-8 bytes of its JSON. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
