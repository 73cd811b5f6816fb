import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { config } from '../config.js';
import type { DocumentRecord } from '../store/documents.js';

const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** How long a presigned upload stays usable: long enough for 20 MiB on a slow line, short enough to leak little. */
export const UPLOAD_EXPIRES_SECONDS = 600;

/**
 * A presigned POST for exactly this document: its key, its declared Content-Type and its exact size
 * (content-length-range min = max), so S3 itself refuses any other file.
 */
export async function presignedUpload(document: DocumentRecord, now = new Date()) {
  const { url, fields } = await createPresignedPost(s3 as unknown as Parameters<typeof createPresignedPost>[0], {
    Bucket: config.documentsBucket,
    Key: document.objectKey,
    Conditions: [
      ['content-length-range', document.size, document.size],
      ['eq', '$Content-Type', document.contentType],
    ],
    Fields: { 'Content-Type': document.contentType },
    Expires: UPLOAD_EXPIRES_SECONDS,
  });
  return { url, fields, expiresAt: new Date(now.getTime() + UPLOAD_EXPIRES_SECONDS * 1000).toISOString() };
}

/** How long a reviewer's link to a document works: opened at once by the browser, useless if leaked later. */
export const VIEW_EXPIRES_SECONDS = 60;

/** Content-Disposition with the original name: an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A short-lived presigned GET that shows the file inline under its original name. */
export function viewUrl(document: DocumentRecord): Promise<string> {
  return getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: config.documentsBucket,
      Key: document.objectKey,
      ResponseContentDisposition: contentDisposition(document.fileName),
      ResponseContentType: document.contentType,
    }),
    { expiresIn: VIEW_EXPIRES_SECONDS },
  );
}
