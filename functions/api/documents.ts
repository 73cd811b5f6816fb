import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { chinaDate } from '../domain/dates.js';
import { checklistOf, sampledForCheck } from '../domain/documents.js';
import { valueOn } from '../domain/parameters.js';
import { PROGRAMS } from '../domain/programs/index.js';
import type { ApplicationStatus, ProgramId } from '../domain/vocabulary.js';
import { applicationsInStatus } from '../store/applications.js';
import { loadParameters } from '../store/parameters.js';
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

/** Awarded: what 事后核查 samples, from the review's approval on (公示 included; the award stands until the check finds otherwise). */
const AWARDED = ['AWAITING_PUBLICITY', 'PUBLICIZING', 'APPROVED', 'BATCHED', 'PAID', 'PAYMENT_FAILED'] as const satisfies readonly ApplicationStatus[];

export const handler = apiHandler([
  route(ENDPOINTS.listPromiseChecks, async ({ principal }) => {
    const today = chinaDate(new Date());
    const rate = valueOn(await loadParameters(), 'documents.promise-sample-rate', today).value;
    const awarded = (await Promise.all(AWARDED.map((status) => applicationsInStatus(status)))).flat();
    const items = awarded
      .filter((a) => principal.role !== 'reviewer' || PROGRAMS[a.programId as ProgramId].department === principal.dept)
      .flatMap((a) =>
        (a.promises ?? []).flatMap((docType) => {
          // Anyone can recompute the draw: SHA-256 of "<applicationId>#<docType>", its first 32 bits against the rate.
          const draw = createHash('sha256').update(`${a.id}#${docType}`).digest('hex');
          if (!sampledForCheck(draw, Number(rate))) return [];
          const item = checklistOf(a.programId as ProgramId).find((d) => d.docType === docType);
          return [{ applicationId: a.id, uscc: a.uscc, programId: a.programId as ProgramId, status: a.status, docType, title: item?.title ?? docType, check: item?.proves ?? '', draw: draw.slice(0, 8) }];
        }),
      );
    return { status: 200, body: { rate, items } };
  }),

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
