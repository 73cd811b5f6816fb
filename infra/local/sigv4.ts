import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials, LocalIdentity } from './credentials.js';
import { LOCAL_REGION } from './synth.js';

/**
 * Verifies AWS Signature Version 4 on a request to a local endpoint, by recomputing the signature with
 * the SDK's own signer (@smithy/signature-v4) from the secret of the access key the request names.
 * Header signatures and presigned URLs (query signatures, with their expiry) are both handled.
 */

/** Why a request is refused; each endpoint renders these as its service does. */
export type SigV4Failure =
  | { reason: 'missing'; message: string }
  | { reason: 'unknown-key'; message: string }
  | { reason: 'mismatch'; message: string }
  | { reason: 'expired'; message: string }
  | { reason: 'malformed'; message: string };

export type SigV4Result = { ok: true; identity: LocalIdentity; accessKeyId: string } | ({ ok: false } & SigV4Failure);

export interface SignedRequest {
  method: string;
  /** The request target exactly as received (path and query, still %-encoded). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** AWS allows 15 minutes between the signing time and its own clock for header signatures. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/** node:crypto behind the hash interface the signer expects (HMAC when given a key). */
export class Sha256 {
  readonly #hash;
  constructor(secret?: string | Uint8Array) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** 20261129T023000Z → Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const fail = (reason: SigV4Failure['reason'], message: string): SigV4Result => ({ ok: false, reason, message }) as SigV4Result;

function sameSignature(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function verifySigV4(
  request: SignedRequest,
  credentials: LocalCredentials,
  options: { service: string; /** S3 signs the path as sent; every other service escapes it again. */ uriEscapePath: boolean; now?: Date },
): Promise<SigV4Result> {
  const url = new URL(request.url, 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  const presigned = 'X-Amz-Algorithm' in query;
  const authorization = header(request.headers, 'authorization');
  if (!presigned && !authorization) return fail('missing', 'Request is missing Authentication Token');

  let credential: string, signedHeaders: string, signature: string, date: Date | undefined;
  if (presigned) {
    if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') return fail('malformed', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    [credential, signedHeaders, signature] = [query['X-Amz-Credential'], query['X-Amz-SignedHeaders'], query['X-Amz-Signature']].map((v) =>
      typeof v === 'string' ? v : '',
    ) as [string, string, string];
    date = parseAmzDate(query['X-Amz-Date'] as string | undefined);
  } else {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(authorization!);
    if (!m) return fail('malformed', 'Authorization header requires Credential, SignedHeaders and Signature parameters (AWS4-HMAC-SHA256)');
    [credential, signedHeaders, signature] = [m[1]!, m[2]!, m[3]!];
    date = parseAmzDate(header(request.headers, 'x-amz-date'));
  }
  const [accessKeyId = '', shortDate, region, service, terminator] = credential.split('/');
  const known = credentials.lookup(accessKeyId);
  if (!known) return fail('unknown-key', 'The security token included in the request is invalid.');
  if (!date || !signedHeaders || !signature) return fail('malformed', 'The request signature is incomplete (date, signed headers or signature missing)');
  if (terminator !== 'aws4_request' || shortDate !== date.toISOString().slice(0, 10).replaceAll('-', '')) {
    return fail('malformed', `Credential should be scoped to a valid date and end with aws4_request: ${credential}`);
  }
  if (region !== LOCAL_REGION) return fail('mismatch', `Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== options.service) return fail('mismatch', `Credential should be scoped to correct service: '${options.service}'.`);

  const now = options.now ?? new Date();
  if (presigned) {
    const expires = Number(query['X-Amz-Expires']);
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) return fail('malformed', 'X-Amz-Expires must be between 1 and 604800 seconds');
    if (now.getTime() > date.getTime() + expires * 1000) return fail('expired', 'Request has expired');
  } else if (Math.abs(now.getTime() - date.getTime()) > MAX_SKEW_MS) {
    return fail('expired', `Signature expired: ${header(request.headers, 'x-amz-date')} is now earlier or later than 15 minutes from the server's time.`);
  }

  // A claimed payload hash must be the body's (S3 signs the hash header instead of hashing the body itself).
  const claimedHash = header(request.headers, 'x-amz-content-sha256');
  if (!presigned && claimedHash && /^[0-9a-f]{64}$/.test(claimedHash) && createHash('sha256').update(request.body).digest('hex') !== claimedHash) {
    return fail('mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const names = signedHeaders.split(';');
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: known.secretAccessKey },
    sha256: Sha256 as never,
    uriEscapePath: options.uriEscapePath,
    applyChecksum: false,
  });
  const [hostname = '', port] = (headers.host ?? '').split(':');
  const base = { method: request.method, protocol: 'http:', hostname, ...(port ? { port: Number(port) } : {}), path: url.pathname, headers, body: request.body };
  const signable = new Set(names);
  let expected: string | undefined;
  if (presigned) {
    const { 'X-Amz-Signature': _, ...rest } = query;
    // The payload hash of a presigned URL: the one it carries, else S3's UNSIGNED-PAYLOAD (the body is not signed).
    const carried = typeof query['X-Amz-Content-Sha256'] === 'string' ? query['X-Amz-Content-Sha256'] : undefined;
    const payloadHash = carried ?? (service === 's3' ? 'UNSIGNED-PAYLOAD' : undefined);
    const presignedRequest = await signer.presign({ ...base, headers: { ...headers, ...(payloadHash ? { 'x-amz-content-sha256': payloadHash } : {}) }, query: rest } as never, {
      signingDate: date,
      expiresIn: Number(query['X-Amz-Expires']),
      signableHeaders: signable,
      // Only for the payload hash: a URL that carries it has it in its query already.
      unhoistableHeaders: new Set(['x-amz-content-sha256']),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
    });
    expected = presignedRequest.query?.['X-Amz-Signature'] as string | undefined;
  } else {
    const signed = await signer.sign({ ...base, query } as never, { signingDate: date, signableHeaders: signable });
    expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
  }
  if (!expected || !sameSignature(expected, signature)) {
    return fail(
      'mismatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { ok: true, identity: known.identity, accessKeyId };
}

/** Reads a request's body whole (the local endpoints' bodies are small: JSON or one payment file). */
export async function readBody(req: AsyncIterable<Buffer>, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
