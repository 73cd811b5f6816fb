import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoopbackEndpoint, forward, serveOnLoopback } from './loopback-server.js';
import type { LocalCredentials } from './credentials.js';
import type { LocalIam } from './iam.js';
import { type SigV4Failure, readBody, verifySigV4 } from './sigv4.js';

/**
 * The S3 endpoint of the local stack. s3rver checks neither signatures nor permissions, so it listens
 * only on a Unix socket in a private folder, and this front — on 127.0.0.1 — verifies each request's
 * SigV4 signature (header or presigned URL), evaluates it against the caller's IAM policies, and then
 * forwards it. Refusals are S3's XML errors.
 */

const xmlEscape = (text: string) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const requestId = crypto.randomUUID();
  res
    .writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId })
    .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`);
}

function signatureFailure(res: ServerResponse, failure: SigV4Failure): void {
  switch (failure.reason) {
    case 'missing':
      return s3Error(res, 403, 'AccessDenied', 'Access Denied');
    case 'unknown-key':
      return s3Error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'expired':
      return failure.message === 'Request has expired'
        ? s3Error(res, 403, 'AccessDenied', failure.message)
        : s3Error(res, 403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    case 'malformed':
      return s3Error(res, 400, 'AuthorizationHeaderMalformed', failure.message);
    default:
      return s3Error(res, 403, 'SignatureDoesNotMatch', failure.message);
  }
}

/** The IAM action and resource of an S3 request (path-style addressing, as the local clients use). */
export function s3Action(method: string, url: URL): { action: string; resource: string } {
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const key = rest.map((part) => decodeURIComponent(part)).join('/');
  const has = (name: string) => url.searchParams.has(name);
  if (!bucket) return { action: 's3:ListAllMyBuckets', resource: '*' };
  const bucketArn = `arn:aws:s3:::${decodeURIComponent(bucket)}`;
  if (!key) {
    if (method === 'GET' && has('uploads')) return { action: 's3:ListBucketMultipartUploads', resource: bucketArn };
    if (method === 'GET' && has('versions')) return { action: 's3:ListBucketVersions', resource: bucketArn };
    if (method === 'GET' || method === 'HEAD') return { action: 's3:ListBucket', resource: bucketArn };
    if (method === 'PUT') return { action: 's3:CreateBucket', resource: bucketArn };
    if (method === 'DELETE') return { action: 's3:DeleteBucket', resource: bucketArn };
    // POST ?delete (DeleteObjects): evaluated as deleting objects of the bucket.
    return { action: 's3:DeleteObject', resource: `${bucketArn}/*` };
  }
  const objectArn = `${bucketArn}/${key}`;
  if (method === 'GET' && has('uploadId')) return { action: 's3:ListMultipartUploadParts', resource: objectArn };
  if (method === 'GET' || method === 'HEAD') return { action: has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject', resource: objectArn };
  if (method === 'DELETE' && has('uploadId')) return { action: 's3:AbortMultipartUpload', resource: objectArn };
  if (method === 'DELETE') return { action: has('versionId') ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: objectArn };
  // PUT, UploadPart, CreateMultipartUpload and CompleteMultipartUpload are all s3:PutObject.
  return { action: 's3:PutObject', resource: objectArn };
}

export async function startS3Front(options: { socketPath: string; credentials: LocalCredentials; iam: LocalIam }): Promise<LoopbackEndpoint> {
  const agent = new Agent({ keepAlive: true });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://local');
      decodeURIComponent(url.pathname);
    } catch {
      return s3Error(res, 400, 'InvalidURI', "Couldn't parse the specified URI.");
    }
    // CORS preflights carry no credentials, in AWS too.
    if (method !== 'OPTIONS') {
      const verified = await verifySigV4({ method, url: req.url ?? '/', headers: req.headers, body }, options.credentials, { service: 's3', uriEscapePath: false });
      if (!verified.ok) return signatureFailure(res, verified);
      const decision = await options.iam.authorize(verified.identity, [s3Action(method, url)]);
      if (!decision.allowed) return s3Error(res, 403, 'AccessDenied', decision.message);
    }
    await forward({ socketPath: options.socketPath, agent }, req, body, res);
  }

  return serveOnLoopback(handle, (res, error) => s3Error(res, 500, 'InternalError', String(error)), agent);
}
