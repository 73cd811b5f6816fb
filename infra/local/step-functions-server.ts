import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { LocalCredential, LocalCredentials } from './credentials.js';
import { respondJson, signatureError } from './dynamodb-proxy.js';
import type { LocalIam } from './iam.js';
import { readBody, verifySigV4 } from './sigv4.js';
import { ServiceError } from './step-functions-errors.js';

/**
 * How the endpoint authenticates and authorizes its callers (SigV4 with the local keys, IAM from the
 * template), and the key its journal is written with. Without it (handler-level integration tests that
 * run the engine alone) every caller is accepted.
 */
export interface StepFunctionsSecurity {
  credentials: LocalCredentials;
  iam: LocalIam;
  journalCredential: LocalCredential;
}

export type StepFunctionsActions = Record<string, (body: never) => Promise<unknown>>;

const TASK_RESPONSES = ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'];

/** The service's JSON 1.0 protocol on 127.0.0.1: `X-Amz-Target: AWSStepFunctions.<Action>`. */
export function listenStepFunctions(options: {
  port: number;
  stateMachineArn: string;
  actions: StepFunctionsActions;
  security: StepFunctionsSecurity | undefined;
  /** True while the service is to answer every call with 503, as an outage would. */
  outage: () => boolean;
}): Promise<{ server: Server; endpoint: string }> {
  const { security, actions } = options;
  const respond = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));

  /** The resource IAM evaluates an action on: the state machine, or the execution it names. */
  const resourceOf = (action: string, body: Record<string, unknown>): string => {
    if (typeof body.executionArn === 'string') return body.executionArn;
    // Task responses are evaluated against the state machine of the task's execution (this one only).
    if (TASK_RESPONSES.includes(action)) return options.stateMachineArn;
    if (typeof body.stateMachineArn === 'string') return body.stateMachineArn;
    return '*';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const action = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    if (security) {
      const verified = await verifySigV4({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body: raw }, security.credentials, {
        service: 'states',
        uriEscapePath: true,
      });
      if (!verified.ok) {
        const { type, message } = signatureError(verified);
        return respondJson(res, 400, { __type: `com.amazon.coral.service#${type}`, message });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw.toString('utf8') || '{}');
      } catch {
        return respondJson(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'Malformed JSON body' });
      }
      const decision = await security.iam.authorize(verified.identity, [{ action: `states:${action}`, resource: resourceOf(action, body) }]);
      if (!decision.allowed) return respondJson(res, 400, { __type: 'com.amazon.coral.service#AccessDeniedException', message: decision.message });
    }
    if (options.outage()) return respond(res, 503, { __type: 'ServiceUnavailable', message: 'Step Functions is unavailable (local outage)' });
    const run = actions[action];
    if (!run) return respond(res, 400, { __type: 'UnknownOperationException', message: `Unsupported action ${action}` });
    try {
      respond(res, 200, await run(JSON.parse(raw.toString('utf8') || '{}') as never));
    } catch (error) {
      if (error instanceof ServiceError) return respond(res, 400, { __type: `com.amazonaws.swf.service.v2.model#${error.type}`, message: error.message });
      process.stderr.write(`local step functions: ${String((error as Error)?.stack ?? error)}\n`);
      respond(res, 500, { __type: 'InternalFailure', message: String(error) });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}` }));
  });
}
