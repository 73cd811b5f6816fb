import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { ApiError, notFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { presignedUpload } from '../services/documents.js';
import { type DocumentRecord, getDocument, putDocument } from '../store/documents.js';
import { documentObjectKey } from '../store/keys.js';

export function documentView(document: DocumentRecord) {
  const { documentId, docType, fileName, contentType, size, sha256, status, reason, createdAt } = document;
  return { documentId, docType, fileName, contentType, size, sha256, status, ...(reason ? { reason } : {}), createdAt };
}

/** The owner sees its documents; reviewers and admin those an application uses; anyone else gets 404. */
export function maySee(document: DocumentRecord, principal: Principal): boolean {
  if (principal.role === 'enterprise') return document.uscc === principal.uscc;
  if (principal.role === 'reviewer' || principal.role === 'admin') return (document.usedBy?.length ?? 0) > 0;
  return false;
}

export const handler = apiHandler([
  route(ENDPOINTS.createDocument, async ({ principal, body }) => {
    if (principal.role !== 'enterprise') throw new ApiError('FORBIDDEN', '只有企业可以上传申报材料');
    const documentId = ulid();
    const document: DocumentRecord = {
      documentId,
      uscc: principal.uscc,
      docType: body.docType,
      fileName: body.fileName.normalize('NFC'),
      contentType: body.contentType,
      size: body.size,
      sha256: body.sha256.toLowerCase(),
      status: 'PENDING_UPLOAD',
      objectKey: documentObjectKey(principal.uscc, documentId),
      createdAt: new Date().toISOString(),
      createdBy: principal.sub,
    };
    await putDocument(document);
    return { status: 201, body: { ...documentView(document), upload: await presignedUpload(document) } };
  }),

  route(ENDPOINTS.getDocument, async ({ principal, params }) => {
    const document = await getDocument(params.id);
    if (!document || !maySee(document, principal)) throw notFound('材料');
    return { status: 200, body: documentView(document) };
  }),
]);
