import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
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
