import { Agent, type IncomingMessage, type RequestOptions, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
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

/** Capacity units one DynamoDB call of a function consumed, as AWS would bill them (for the benchmark). */
export type CapacityMeter = (operation: string, units: number) => void;

export async function startDynamoDbProxy(options: { target: number; credentials: LocalCredentials; iam: LocalIam; meter?: CapacityMeter }): Promise<LoopbackEndpoint> {
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
    const target = { host: '127.0.0.1', port: options.target, headers: { host: `127.0.0.1:${options.target}` }, agent };
    // The stack's own bookkeeping (its journal, tests' and benchmarks' direct reads) is not the application's use.
    if (options.meter && !verified.identity.admin) return metered(target, operation, parsed, req, res, options.meter);
    await forward(target, req, body, res);
  }

  return serveOnLoopback(handle, (res, error) => respondJson(res, 500, { __type: 'com.amazon.coral.service#InternalFailure', message: String(error) }), agent);
}

/**
 * Forwards a call with ReturnConsumedCapacity set, reports the units it consumed, and answers the caller
 * with what it asked for. The benchmark counts every function's DynamoDB use here, since the functions
 * run in sandboxes of their own.
 */
async function metered(target: RequestOptions, operation: string, parsed: Body, req: IncomingMessage, res: ServerResponse, meter: CapacityMeter): Promise<void> {
  const asked = parsed.ReturnConsumedCapacity;
  const body = Buffer.from(JSON.stringify({ ...parsed, ReturnConsumedCapacity: 'TOTAL' }));
  const answer = new PassThrough();
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  let status = 500;
  let headers: Record<string, string | string[] | undefined> = {};
  const capture = Object.assign(answer, {
    writeHead(code: number, sent: Record<string, string | string[] | undefined>) {
      status = code;
      headers = sent;
      return capture;
    },
  }) as unknown as ServerResponse;
  // All of the answer is read once the capture has ended, not merely once the emulator's answer has.
  await Promise.all([forward(target, req, body, capture), once(answer, 'end')]);
  const text = Buffer.concat(chunks).toString('utf8');
  let output: Body | undefined;
  try {
    output = JSON.parse(text);
  } catch {
    output = undefined;
  }
  if (status === 200 && output) {
    const consumed = [output.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
    meter(operation, consumed.reduce((sum, c) => sum + Number(c.CapacityUnits ?? 0), 0));
    if (asked === undefined || asked === 'NONE') delete output.ConsumedCapacity;
  }
  const reply = output ? JSON.stringify(output) : text;
  // The reply is whole now: its length replaces the emulator's chunked framing.
  const { 'content-length': _length, 'transfer-encoding': _chunked, connection: _connection, ...rest } = headers;
  res.writeHead(status, { ...rest, 'content-length': String(Buffer.byteLength(reply)) }).end(reply);
}
