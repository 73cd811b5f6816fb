import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type LocalLambdas, LambdaServiceError } from './lambdas.js';
import { QUOTAS } from './quotas.js';

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

const gatewayError = (statusCode: number, message: string): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ message })),
});

/**
 * An HTTP API Lambda proxy integration (payload format 2.0), with API Gateway's answers when it fails:
 * a function error, a function timeout or an invocation Lambda refuses (over 6 MB) is 500
 * {"message":"Internal Server Error"}; no answer within the integration timeout (30 s) is 503
 * {"message":"Service Unavailable"}, while the function itself runs on to its own timeout.
 */
export async function invokeHttpIntegration(
  lambdas: LocalLambdas,
  functionName: string,
  event: unknown,
  integrationTimeoutMs: number = QUOTAS.httpApiIntegrationTimeoutMs,
): Promise<HttpResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), integrationTimeoutMs)));
  const invocation = lambdas.invoke(functionName, event);
  try {
    const outcome = await Promise.race([invocation, timedOut]);
    if (outcome === 'timeout') {
      invocation.catch(() => undefined);
      return gatewayError(503, 'Service Unavailable');
    }
    if ('functionError' in outcome) {
      process.stderr.write(`${functionName}: ${outcome.functionError.errorType}: ${outcome.functionError.errorMessage}\n${(outcome.functionError.trace ?? []).join('\n')}\n`);
      return gatewayError(500, 'Internal Server Error');
    }
    const result = outcome.payload as APIGatewayProxyResultV2;
    const structured: APIGatewayProxyStructuredResultV2 =
      typeof result === 'object' && result !== null && 'statusCode' in result
        ? result
        : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
    return {
      statusCode: structured.statusCode ?? 200,
      headers: { ...(structured.headers as Record<string, string>) },
      body: structured.body ? Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0),
    };
  } catch (error) {
    if (error instanceof LambdaServiceError) {
      process.stderr.write(`${functionName}: ${error.name}: ${error.message}\n`);
      return gatewayError(500, 'Internal Server Error');
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
