import { createHmac, timingSafeEqual } from 'node:crypto';
import busboy from 'busboy';
import type { LocalCredentials, LocalIdentity } from './credentials.js';

/** A browser-form upload (S3 POST Object): its fields in order, up to the file, and the file's bytes. */
export interface PostForm {
  fields: Map<string, string>;
  file: Buffer | undefined;
}

/** Parses a multipart POST as S3 does: fields before `file`, anything after it ignored. */
export function parsePostForm(headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<PostForm> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let file: Buffer | undefined;
    const parser = busboy({ headers: headers as Record<string, string>, limits: { fileSize: 64 * 1024 * 1024 } });
    parser.on('field', (name, value) => {
      // Field names are case-insensitive in S3's POST form.
      if (!file && name.toLowerCase() !== 'file') fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (name === 'file' && !file) file = Buffer.concat(chunks);
      });
    });
    parser.on('error', reject);
    parser.on('close', () => resolve({ fields, file }));
    parser.end(body);
  });
}

export type PostPolicyOutcome =
  | { ok: true; identity: LocalIdentity; key: string }
  | { ok: false; status: number; code: string; message: string };

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const denied = (message: string): PostPolicyOutcome => ({ ok: false, status: 403, code: 'AccessDenied', message: `Invalid according to Policy: ${message}` });
/** Fields S3 does not require the policy to name. */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'file']);

/**
 * What S3 checks on a POST upload: the SigV4 signature over the base64 policy, the policy's expiration,
 * and each condition (exact matches, starts-with, content-length-range) against the form and the file,
 * and that every form field is covered by a condition.
 */
export function verifyPostPolicy(bucket: string, form: PostForm, credentials: LocalCredentials, now = new Date()): PostPolicyOutcome {
  const field = (name: string) => form.fields.get(name);
  const policy = field('policy');
  const credential = field('x-amz-credential');
  const signature = field('x-amz-signature');
  if (!policy || !credential || !signature || field('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || !field('x-amz-date')) {
    return { ok: false, status: 403, code: 'AccessDenied', message: 'Access Denied' };
  }
  const [accessKeyId, date, region, service, terminal] = credential.split('/');
  const known = accessKeyId ? credentials.lookup(accessKeyId) : undefined;
  if (!known) return { ok: false, status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (!date || !region || service !== 's3' || terminal !== 'aws4_request') return { ok: false, status: 400, code: 'AuthorizationQueryParametersError', message: 'Error parsing the X-Amz-Credential parameter' };
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${known.secretAccessKey}`, date), region), 's3'), 'aws4_request');
  const expected = Buffer.from(hmac(signingKey, policy).toString('hex'));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
  }

  let document: { expiration?: string; conditions?: unknown[] };
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  if (!document.expiration || !(Date.parse(document.expiration) > now.getTime())) return denied('Policy expired.');

  const values = new Map(form.fields);
  values.set('bucket', bucket);
  const covered = new Set<string>(['bucket']);
  const size = form.file?.length ?? 0;
  for (const condition of document.conditions ?? []) {
    if (Array.isArray(condition)) {
      const [op, target, value] = condition as [string, string | number, string | number];
      if (op === 'content-length-range') {
        if (size > Number(value)) return { ok: false, status: 400, code: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed size' };
        if (size < Number(target)) return { ok: false, status: 400, code: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size' };
        continue;
      }
      const name = String(target).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const actual = values.get(name) ?? '';
      const holds = op === 'eq' ? actual === String(value) : op === 'starts-with' ? actual.startsWith(String(value)) : false;
      if (!holds) return denied(`Policy Condition failed: ${JSON.stringify(condition)}`);
    } else if (condition && typeof condition === 'object') {
      for (const [name, value] of Object.entries(condition)) {
        covered.add(name.toLowerCase());
        if ((values.get(name.toLowerCase()) ?? '') !== String(value)) return denied(`Policy Condition failed: ${JSON.stringify(['eq', `$${name}`, value])}`);
      }
    }
  }
  const extra = [...form.fields.keys()].filter((name) => !EXEMPT.has(name.toLowerCase()) && !name.toLowerCase().startsWith('x-ignore-') && !covered.has(name.toLowerCase()));
  if (extra.length > 0) return denied(`Extra input fields: ${extra.join(', ')}`);
  const key = field('key');
  if (!key) return { ok: false, status: 400, code: 'InvalidArgument', message: "Bucket POST must contain a field named 'key'." };
  if (!form.file) return { ok: false, status: 400, code: 'InvalidArgument', message: 'POST requires exactly one file upload per request.' };
  return { ok: true, identity: known.identity, key };
}
