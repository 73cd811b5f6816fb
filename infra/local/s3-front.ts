import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LoopbackEndpoint, forward, serveOnLoopback } from './loopback-server.js';
import type { LocalCredentials } from './credentials.js';
import type { LocalIam } from './iam.js';
import { type SigV4Failure, readBody, verifySigV4 } from './sigv4.js';
import { parsePostForm, verifyPostPolicy } from './s3-post-policy.js';

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

/** CopyObject also needs s3:GetObject on its source (x-amz-copy-source: bucket/key). */
export function copySourceAction(headers: IncomingMessage['headers']): { action: string; resource: string } | undefined {
  const source = headers['x-amz-copy-source'];
  if (typeof source !== 'string') return undefined;
  const [path] = decodeURIComponent(source).replace(/^\//, '').split('?');
  return { action: 's3:GetObject', resource: `arn:aws:s3:::${path}` };
}

export interface S3FrontOptions {
  socketPath: string;
  credentials: LocalCredentials;
  iam: LocalIam;
  /** Told of each object created (PUT, POST, copy), as S3 event notifications are. */
  onObjectCreated?: (event: { bucket: string; key: string; eventName: string; size: number; eTag: string }) => void;
  /** The browser origins each bucket's CORS rules allow (POST uploads from the console). */
  corsOrigins?: (bucket: string) => readonly string[];
}

export async function startS3Front(options: S3FrontOptions): Promise<LoopbackEndpoint> {
  const agent = new Agent({ keepAlive: true });

  /** CORS as S3 answers it for a bucket whose rule allows the origin (GET and POST, any header). */
  function cors(req: IncomingMessage, res: ServerResponse, bucket: string): boolean {
    const origin = req.headers.origin;
    if (!origin || !(options.corsOrigins?.(bucket) ?? []).includes(origin)) return false;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-methods', 'GET, POST');
    res.setHeader('vary', 'Origin');
    const requested = req.headers['access-control-request-headers'];
    if (requested) res.setHeader('access-control-allow-headers', requested);
    res.setHeader('access-control-max-age', '3600');
    return true;
  }

  /** A browser-form upload: S3 checks the signed policy (signature, expiry, every condition), then IAM. */
  async function postUpload(req: IncomingMessage, res: ServerResponse, body: Buffer, bucket: string): Promise<void> {
    const allowed = cors(req, res, bucket);
    if (req.headers.origin && !allowed) return s3Error(res, 403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
    let form;
    try {
      form = await parsePostForm(req.headers, body);
    } catch {
      return s3Error(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    const verdict = verifyPostPolicy(bucket, form, options.credentials);
    if (!verdict.ok) return s3Error(res, verdict.status, verdict.code, verdict.message);
    const decision = await options.iam.authorize(verdict.identity, [{ action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${verdict.key}` }]);
    if (!decision.allowed) return s3Error(res, 403, 'AccessDenied', decision.message);
    await forward({ socketPath: options.socketPath, agent }, req, body, res);
    if (res.statusCode < 300) notify(bucket, verdict.key, 's3:ObjectCreated:Post', form.file!.length, String(res.getHeader('etag') ?? ''));
  }

  function notify(bucket: string, key: string, eventName: string, size: number, eTag: string): void {
    options.onObjectCreated?.({ bucket, key, eventName, size, eTag });
  }

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
    const [, bucket = '', ...rest] = url.pathname.split('/');
    if (method === 'OPTIONS') {
      if (!cors(req, res, decodeURIComponent(bucket))) return s3Error(res, 403, 'AccessForbidden', 'CORSResponse: This CORS request is not allowed.');
      res.writeHead(200).end();
      return;
    }
    if (method === 'POST' && bucket && rest.join('') === '' && !url.search && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      return postUpload(req, res, body, decodeURIComponent(bucket));
    }
    // The console reads a document through its presigned GET (after the API's 303): S3 adds CORS headers for an allowed origin.
    if ((method === 'GET' || method === 'HEAD') && req.headers.origin) cors(req, res, decodeURIComponent(bucket));
    // CORS preflights carry no credentials, in AWS too.
    {
      const verified = await verifySigV4({ method, url: req.url ?? '/', headers: req.headers, body }, options.credentials, { service: 's3', uriEscapePath: false });
      if (!verified.ok) return signatureFailure(res, verified);
      const copySource = method === 'PUT' ? copySourceAction(req.headers) : undefined;
      const decision = await options.iam.authorize(verified.identity, [s3Action(method, url), ...(copySource ? [copySource] : [])]);
      if (!decision.allowed) return s3Error(res, 403, 'AccessDenied', decision.message);
    }
    await forward({ socketPath: options.socketPath, agent }, req, body, res);
    const key = rest.map((part) => decodeURIComponent(part)).join('/');
    if (method === 'PUT' && key && !url.searchParams.has('uploadId') && res.statusCode < 300) {
      const copied = req.headers['x-amz-copy-source'];
      notify(decodeURIComponent(bucket), key, copied ? 's3:ObjectCreated:Copy' : 's3:ObjectCreated:Put', body.length, String(res.getHeader('etag') ?? ''));
    }
  }

  return serveOnLoopback(handle, (res, error) => s3Error(res, 500, 'InternalError', String(error)), agent);
}
