import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { LocalCredentials } from '../../infra/local/credentials.js';
import { Sha256, verifySigV4 } from '../../infra/local/sigv4.js';
import type { Template } from '../../infra/local/synth.js';

/** The signature check on its own: what the SDK signs passes; anything changed after signing does not. */
const credentials = new LocalCredentials({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: {} } } } as unknown as Template);
const key = credentials.forRole('Role');

async function signed(options: { body?: string; date?: Date; region?: string; service?: string; headers?: Record<string, string> } = {}) {
  const signer = new SignatureV4({ service: options.service ?? 's3', region: options.region ?? 'local', credentials: key, sha256: Sha256 as never, uriEscapePath: false });
  const body = options.body ?? 'a,b\n';
  const request = (await signer.sign(
    {
      method: 'PUT',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4000,
      path: '/bucket/batches/a%20b.csv',
      query: { 'x-id': 'PutObject' },
      headers: { host: '127.0.0.1:4000', 'x-amz-content-sha256': await hex(body), ...options.headers },
      body,
    } as never,
    { signingDate: options.date ?? new Date() },
  )) as unknown as { headers: Record<string, string> };
  return { method: 'PUT', url: '/bucket/batches/a%20b.csv?x-id=PutObject', headers: request.headers, body: Buffer.from(body) };
}

async function hex(text: string): Promise<string> {
  const hash = new Sha256();
  hash.update(text);
  return Buffer.from(await hash.digest()).toString('hex');
}

const verify = (request: Awaited<ReturnType<typeof signed>>, now?: Date) =>
  verifySigV4(request, credentials, { service: 's3', uriEscapePath: false, ...(now ? { now } : {}) });

describe('SigV4 verification', () => {
  it('accepts what the SDK signed, naming the caller', async () => {
    const result = await verify(await signed());
    expect(result).toMatchObject({ ok: true, accessKeyId: key.accessKeyId, identity: { roles: ['Role'], admin: false } });
  });

  it('refuses a body that is not the one whose hash was signed', async () => {
    const request = await signed();
    expect(await verify({ ...request, body: Buffer.from('a,b,paid\n') })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('refuses a changed path, query or signed header', async () => {
    const request = await signed({ headers: { 'x-amz-meta-batch': 'B1' } });
    expect(await verify({ ...request, url: '/bucket/batches/other.csv?x-id=PutObject' })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await verify({ ...request, url: '/bucket/batches/a%20b.csv?x-id=DeleteObject' })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await verify({ ...request, headers: { ...request.headers, 'x-amz-meta-batch': 'B2' } })).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('refuses a signature older or newer than 15 minutes', async () => {
    const request = await signed({ date: new Date(Date.now() - 16 * 60_000) });
    expect(await verify(request)).toMatchObject({ ok: false, reason: 'expired' });
    expect((await verify(request, new Date(Date.now() - 15 * 60_000))).ok).toBe(true);
  });

  it('refuses a credential scoped to another region or service', async () => {
    expect(await verify(await signed({ region: 'us-east-1' }))).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await verify(await signed({ service: 'dynamodb' }))).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('tells a missing signature from an unknown key', async () => {
    const request = await signed();
    expect(await verify({ ...request, headers: { host: '127.0.0.1:4000' } })).toMatchObject({ ok: false, reason: 'missing' });
    const foreign = request.headers.authorization!.replace(key.accessKeyId, 'AKIAFOREIGNFOREIGN12');
    expect(await verify({ ...request, headers: { ...request.headers, authorization: foreign } })).toMatchObject({ ok: false, reason: 'unknown-key' });
  });
});
