import { createHash } from 'node:crypto';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { checkFile, MAX_DOCUMENT_BYTES } from '../domain/documents.js';
import { logger } from '../logger.js';
import { getDocument, markChecked, moveDocument, type DocumentRecord } from '../store/documents.js';
import { quarantineObjectKey } from '../store/keys.js';
import { clamdScanner } from './clamd.js';
import { detectContentType } from './file-kind.js';

const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });

/** GuardDuty Malware Protection for S3's result, as EventBridge delivers it. */
interface GuardDutyScanResult {
  source: 'aws.guardduty';
  'detail-type': 'GuardDuty Malware Protection Object Scan Result';
  detail: {
    s3ObjectDetails: { bucketName: string; objectKey: string };
    scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' | 'THREATS_FOUND' | 'UNSUPPORTED' | 'ACCESS_DENIED' | 'FAILED'; threats?: { name: string }[] | null };
  };
}

const documentIdOf = (objectKey: string) => /^uploads\/[^/]+\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(objectKey)?.[1];

async function reject(document: DocumentRecord, bucket: string, reason: string): Promise<void> {
  // Out of the API roles' reach first (they read uploads/ only), then marked.
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: quarantineObjectKey(document.objectKey), CopySource: `${bucket}/${document.objectKey}` }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: document.objectKey }));
  await moveDocument(document.documentId, ['PENDING_UPLOAD', 'SCANNING'], 'REJECTED', reason);
  logger.info('document rejected', { documentId: document.documentId, reason });
}

/** One uploaded object: its bytes against the declaration, then (with ClamAV) the malware scan. */
async function checkUpload(bucket: string, objectKey: string): Promise<void> {
  const documentId = documentIdOf(objectKey);
  const document = documentId ? await getDocument(documentId) : undefined;
  if (!document || document.objectKey !== objectKey) return logger.warn('an object without its document', { objectKey });
  if (!(await moveDocument(document.documentId, ['PENDING_UPLOAD', 'SCANNING'], 'SCANNING'))) return; // already decided

  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey }));
  if ((object.ContentLength ?? 0) > MAX_DOCUMENT_BYTES) return reject(document, bucket, '文件超过 20 MiB');
  const bytes = await object.Body!.transformToByteArray();
  const verdict = checkFile(document, {
    contentType: await detectContentType(bytes),
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  if (!verdict.ok) return reject(document, bucket, verdict.reason);

  if (process.env.MALWARE_SCANNER === 'clamav') {
    // Unreachable or failing: this throws, the invocation is retried, the document stays SCANNING.
    const scan = await clamdScanner(process.env.CLAMD_ADDRESS ?? '127.0.0.1:3310').scan(bytes);
    if (scan.infected) return reject(document, bucket, `检测到恶意代码（${scan.signature}）`);
    await markChecked(document.documentId, 'bytes');
    await markChecked(document.documentId, 'malware');
  } else {
    // GuardDuty scans the object itself and reports by EventBridge: whichever check ends last makes it CLEAN.
    await markChecked(document.documentId, 'bytes');
  }
}

async function guardDutyResult(event: GuardDutyScanResult): Promise<void> {
  const { bucketName, objectKey } = event.detail.s3ObjectDetails;
  const documentId = documentIdOf(objectKey);
  const document = documentId ? await getDocument(documentId) : undefined;
  if (!document) return;
  const { scanResultStatus, threats } = event.detail.scanResultDetails;
  if (scanResultStatus === 'NO_THREATS_FOUND') return void (await markChecked(document.documentId, 'malware'));
  if (scanResultStatus === 'THREATS_FOUND') return reject(document, bucketName, `检测到恶意代码（${threats?.map((t) => t.name).join(', ') ?? 'GuardDuty'}）`);
  // UNSUPPORTED (e.g. encrypted archives), ACCESS_DENIED, FAILED: not scanned is never CLEAN.
  return reject(document, bucketName, `无法完成病毒扫描（${scanResultStatus}）`);
}

export async function handler(event: S3Event | GuardDutyScanResult): Promise<void> {
  if ('source' in event && event.source === 'aws.guardduty') return guardDutyResult(event);
  for (const record of (event as S3Event).Records ?? []) {
    if (!record.eventName.startsWith('ObjectCreated:')) continue;
    // S3 URL-encodes keys in events, with + for spaces.
    await checkUpload(record.s3.bucket.name, decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')));
  }
}
