import { type Agent, type IncomingMessage, type RequestOptions, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http';

export interface LoopbackEndpoint {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Serves a local AWS endpoint on 127.0.0.1 (a free port): an error the handler did not answer becomes
 * the service's own internal-error reply, and closing also ends the keep-alive agent it forwards with.
 */
export async function serveOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  internalError: (res: ServerResponse, error: unknown) => void,
  agent: Agent,
): Promise<LoopbackEndpoint> {
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) internalError(res, error);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
    },
  };
}

/**
 * Forwards a request whose body was already read (to check its signature) to the emulator behind a
 * front, and streams the emulator's answer back unchanged.
 */
export function forward(target: RequestOptions, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const headers = { ...req.headers, ...(target.headers as Record<string, string> | undefined), 'content-length': String(body.length) };
  delete headers['transfer-encoding'];
  delete headers.connection;
  return new Promise<void>((resolve, reject) => {
    const outgoing = httpRequest({ ...target, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
      answer.once('end', resolve);
      answer.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}
