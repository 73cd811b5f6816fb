import { createHash } from 'node:crypto';
import { type ApiClient, eventually } from './local-stack.js';

/** A small valid PDF, with `extra` in a comment (e.g. a malware test marker). */
export function pdf(extra = '', padTo = 0): Buffer {
  const head = `%PDF-1.4\n%${extra}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n`;
  const body = Buffer.from(head, 'latin1');
  const padding = padTo > body.length + 6 ? Buffer.alloc(padTo - body.length - 6, 0x20) : Buffer.alloc(0);
  return Buffer.concat([body, padding, Buffer.from('%%EOF\n')]);
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Registers a document and posts its bytes with the presigned POST, as the console does. */
export async function upload(
  client: ApiClient,
  docType: string,
  bytes: Buffer,
  declared: { contentType?: string; size?: number; sha256?: string; fileName?: string } = {},
  sent: { contentType?: string; bytes?: Buffer } = {},
): Promise<{ documentId: string; s3Status: number; s3Body: string }> {
  const created = await client.post('/documents', {
    docType,
    fileName: declared.fileName ?? '营业执照.pdf',
    contentType: declared.contentType ?? 'application/pdf',
    size: declared.size ?? bytes.length,
    sha256: declared.sha256 ?? sha256(bytes),
  });
  if (created.status !== 201) throw new Error(`POST /documents: ${created.status} ${JSON.stringify(created.body)}`);
  const { url, fields } = created.body.upload as { url: string; fields: Record<string, string> };
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, name === 'Content-Type' && sent.contentType ? sent.contentType : value);
  form.append('file', new Blob([new Uint8Array(sent.bytes ?? bytes)]), 'file');
  const response = await fetch(url, { method: 'POST', body: form });
  return { documentId: created.body.documentId, s3Status: response.status, s3Body: await response.text() };
}

/** Waits until the document's checks end (CLEAN or REJECTED). */
export function checked(client: ApiClient, documentId: string) {
  return eventually(async () => {
    const { body } = await client.get(`/documents/${documentId}`);
    return body.status === 'CLEAN' || body.status === 'REJECTED' ? body : undefined;
  }, `the checks of ${documentId}`);
}
