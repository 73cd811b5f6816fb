import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoopbackEndpoint, forward, serveOnLoopback } from './loopback-server.js';
import type { LocalCredentials } from './credentials.js';
import { type LocalIam, tableArn } from './iam.js';
import { type SigV4Failure, readBody, verifySigV4 } from './sigv4.js';

/**
 * The DynamoDB endpoint of the local stack: verifies each request's SigV4 signature, evaluates it
 * against the caller's IAM policies, and only then forwards it to DynamoDB Local (which checks nothing).
 * Refusals are the service's own JSON 1.0 errors.
 */

type Body = Record<string, any>;
export type ActionRequest = { action: string; resource: string };

const indexArn = (table: string, index?: string) => (index ? `${tableArn(table)}/index/${index}` : tableArn(table));

/** The IAM actions and resources one DynamoDB operation is authorized as, as AWS evaluates them. */
export function dynamoDbActions(operation: string, body: Body): ActionRequest[] {
  switch (operation) {
    case 'Query':
    case 'Scan':
      return [{ action: `dynamodb:${operation}`, resource: indexArn(body.TableName, body.IndexName) }];
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(body.RequestItems ?? {}).map((table) => ({ action: `dynamodb:${operation}`, resource: tableArn(table) }));
    case 'TransactWriteItems':
      // Each item needs the permission of its own kind on its own table.
      return (body.TransactItems ?? []).flatMap((item: Body) => {
        const [[kind, detail]] = Object.entries(item) as [[string, Body]];
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind];
        return action ? [{ action: `dynamodb:${action}`, resource: tableArn(detail.TableName) }] : [];
      });
    case 'TransactGetItems':
      return (body.TransactItems ?? []).map((item: Body) => ({ action: 'dynamodb:GetItem', resource: tableArn(item.Get?.TableName) }));
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: '*' }];
    default:
      return [{ action: `dynamodb:${operation}`, resource: body.TableName ? tableArn(body.TableName) : '*' }];
  }
}

/** DynamoDB's answer to a request it does not authenticate. */
export function signatureError(failure: SigV4Failure): { type: string; message: string } {
  switch (failure.reason) {
    case 'missing':
      return { type: 'MissingAuthenticationTokenException', message: failure.message };
    case 'unknown-key':
      return { type: 'UnrecognizedClientException', message: failure.message };
    case 'malformed':
      return { type: 'IncompleteSignatureException', message: failure.message };
    default:
      return { type: 'InvalidSignatureException', message: failure.message };
  }
}

export function respondJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/x-amz-json-1.0') {
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': crypto.randomUUID() }).end(JSON.stringify(body));
}

export async function startDynamoDbProxy(options: { target: number; credentials: LocalCredentials; iam: LocalIam }): Promise<LoopbackEndpoint> {
  const agent = new Agent({ keepAlive: true });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const verified = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body }, options.credentials, {
      service: 'dynamodb',
      uriEscapePath: true,
    });
    if (!verified.ok) {
      const { type, message } = signatureError(verified);
      return respondJson(res, 400, { __type: `com.amazon.coral.service#${type}`, message });
    }
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^DynamoDB_20120810\./, '');
    let parsed: Body;
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      return respondJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'Start of structure or map found where not expected.' });
    }
    const decision = await options.iam.authorize(verified.identity, dynamoDbActions(operation, parsed));
    if (!decision.allowed) {
      return respondJson(res, 400, { __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: decision.message });
    }
    await forward({ host: '127.0.0.1', port: options.target, headers: { host: `127.0.0.1:${options.target}` }, agent }, req, body, res);
  }

  return serveOnLoopback(handle, (res, error) => respondJson(res, 500, { __type: 'com.amazon.coral.service#InternalFailure', message: String(error) }), agent);
}
