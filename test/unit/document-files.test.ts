import { createHmac } from 'node:crypto';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectContentType } from '../../functions/scan/file-kind.js';
import { contentDisposition } from '../../functions/services/documents.js';
import { verifyPostPolicy } from '../../infra/local/s3-post-policy.js';
import type { LocalCredentials } from '../../infra/local/credentials.js';

describe('the type of a document from its bytes', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffdb', 'hex');

  it('tells PDF, PNG and JPEG, and an OFD (a ZIP holding OFD.xml) from a plain ZIP', async () => {
    expect(await detectContentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))).toBe('application/pdf');
    expect(await detectContentType(png)).toBe('image/png');
    expect(await detectContentType(jpeg)).toBe('image/jpeg');
    const ofd = zipSync({ 'OFD.xml': new TextEncoder().encode('<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'), 'Doc_0/Document.xml': new Uint8Array([60, 47, 62]) });
    expect(await detectContentType(ofd)).toBe('application/ofd');
    expect(await detectContentType(zipSync({ 'readme.txt': new Uint8Array([65]) }))).toBe('application/zip');
    expect(await detectContentType(Buffer.from('just text, e.g. the EICAR string'))).toBeUndefined();
  });
});

describe('Content-Disposition of a document', () => {
  it('carries the Chinese name as RFC 5987 UTF-8 with an ASCII fallback', () => {
    expect(contentDisposition('营业执照 (副本).pdf')).toBe(`inline; filename="____ (__).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf`);
    expect(contentDisposition('a"b.pdf')).toBe(`inline; filename="a_b.pdf"; filename*=UTF-8''a%22b.pdf`);
  });
});

describe('the local S3’s POST policy check', () => {
  const secret = 'local-secret';
  const credentials = { lookup: (id: string) => (id === 'AKIDLOCAL' ? { secretAccessKey: secret, identity: { arn: 'role', roles: ['R'], admin: false } } : undefined) } as unknown as LocalCredentials;
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  function form(conditions: unknown[], fields: Record<string, string>, file: Buffer, expiration = new Date(Date.now() + 60_000).toISOString()) {
    const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, '20261129'), 'local'), 's3'), 'aws4_request');
    const all = { 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-credential': 'AKIDLOCAL/20261129/local/s3/aws4_request', 'x-amz-date': '20261129T000000Z', policy, 'x-amz-signature': hmac(key, policy).toString('hex'), ...fields };
    return { fields: new Map(Object.entries(all)), file };
  }
  const base = [{ bucket: 'docs' }, { key: 'uploads/a' }, { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' }, { 'x-amz-credential': 'AKIDLOCAL/20261129/local/s3/aws4_request' }, { 'x-amz-date': '20261129T000000Z' }];
  const conditions = [...base, ['content-length-range', 4, 4], ['eq', '$Content-Type', 'image/png']];

  it('accepts exactly the declared size and type, and refuses anything else as S3 does', () => {
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(4)), credentials)).toMatchObject({ ok: true, key: 'uploads/a' });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(5)), credentials)).toMatchObject({ ok: false, code: 'EntityTooLarge', status: 400 });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(3)), credentials)).toMatchObject({ ok: false, code: 'EntityTooSmall' });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'application/pdf' }, Buffer.alloc(4)), credentials)).toMatchObject({ ok: false, code: 'AccessDenied' });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/b', 'content-type': 'image/png' }, Buffer.alloc(4)), credentials)).toMatchObject({ ok: false, code: 'AccessDenied' });
    expect(verifyPostPolicy('other', form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(4)), credentials)).toMatchObject({ ok: false, code: 'AccessDenied' });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'image/png', acl: 'public-read' }, Buffer.alloc(4)), credentials)).toMatchObject({ ok: false, message: expect.stringContaining('Extra input fields: acl') });
    expect(verifyPostPolicy('docs', form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(4), new Date(Date.now() - 1000).toISOString()), credentials)).toMatchObject({ ok: false, message: expect.stringContaining('Policy expired') });
    const tampered = form(conditions, { key: 'uploads/a', 'content-type': 'image/png' }, Buffer.alloc(4));
    tampered.fields.set('policy', Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 60_000).toISOString(), conditions: base })).toString('base64'));
    expect(verifyPostPolicy('docs', tampered, credentials)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });
});
