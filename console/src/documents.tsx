import { useState } from 'preact/hooks';
import { ApiError, api, openInNewTab } from './api';
import type { DocumentUpload, DocumentView, ProgramInfo } from './api-types';
import { ErrorSummary, useLoad } from './components';
import { DOCUMENT_STATUS_LABELS } from './labels';
import { DOCUMENT_CONTENT_TYPES, MAX_DOCUMENT_BYTES } from '../../functions/domain/documents';

/** 申报材料 (POLICY.md §5.13): the program's checklist with an upload per item, and the documents of an application. */

type Requirement = ProgramInfo['documents'][number];

/** One checklist item as the clerk left it: the uploaded document (once registered) and its check. */
export interface DocumentSlot {
  documentId?: string;
  fileName?: string;
  status?: DocumentView['status'];
  reason?: string;
  error?: Error;
  busy?: boolean;
}
export interface DocumentChoices {
  slots: Record<string, DocumentSlot>;
  promises: string[];
}
export const NO_DOCUMENTS: DocumentChoices = { slots: {}, promises: [] };

/** What the submission carries: the checked documents, and the items promised instead (告知承诺). */
export function submissionDocuments(choices: DocumentChoices) {
  const documents = Object.entries(choices.slots)
    .filter(([docType, slot]) => slot.documentId && slot.status === 'CLEAN' && !choices.promises.includes(docType))
    .map(([docType, slot]) => ({ docType, documentId: slot.documentId! }));
  return { ...(documents.length ? { documents } : {}), ...(choices.promises.length ? { promises: choices.promises } : {}) };
}

/** Still uploading or being checked: the submission waits for it. */
export const documentsPending = (choices: DocumentChoices) => Object.values(choices.slots).some((slot) => slot.busy);

/** The declared type: the browser's, or from the extension when it has none (OFD). */
const BY_EXTENSION: Record<string, (typeof DOCUMENT_CONTENT_TYPES)[number]> = { pdf: 'application/pdf', ofd: 'application/ofd', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };
function contentTypeOf(file: File): string | undefined {
  if ((DOCUMENT_CONTENT_TYPES as readonly string[]).includes(file.type)) return file.type;
  return BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''];
}

async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const POLL_MS = 1000;
const POLL_LIMIT = 180;
const isFinal = (status: string) => status === 'CLEAN' || status === 'REJECTED';

/**
 * Registers the file (POST /documents), posts it to the presigned form (its fields first, then the file),
 * and reports each status until the checks end.
 */
async function uploadDocument(docType: string, file: File, report: (slot: DocumentSlot) => void): Promise<DocumentSlot> {
  const contentType = contentTypeOf(file);
  if (!contentType) throw new ApiError(400, 'VALIDATION_ERROR', '仅接受 PDF、OFD、JPEG、PNG 文件');
  if (file.size > MAX_DOCUMENT_BYTES) throw new ApiError(400, 'VALIDATION_ERROR', '文件不能超过 20 MiB');
  const created = await api<DocumentUpload>('POST', '/documents', { docType, fileName: file.name, contentType, size: file.size, sha256: await sha256Hex(file) });
  report({ documentId: created.documentId, fileName: file.name, status: created.status, busy: true });
  const form = new FormData();
  for (const [name, value] of Object.entries(created.upload.fields)) form.append(name, value);
  form.append('file', file);
  let uploaded: Response;
  try {
    uploaded = await fetch(created.upload.url, { method: 'POST', body: form });
  } catch {
    throw new ApiError(0, 'NETWORK', '文件上传失败，请检查网络后重试');
  }
  if (!uploaded.ok) throw new ApiError(uploaded.status, 'UPLOAD_FAILED', `文件上传未被接受（${uploaded.status}），请重新选择文件`);
  // The checks run after the upload (type from the bytes, size, digest, malware scan): look until they end.
  for (let i = 0; i < POLL_LIMIT; i++) {
    const view = await api<DocumentView>('GET', `/documents/${created.documentId}`);
    const slot = { documentId: view.documentId, fileName: view.fileName, status: view.status, ...(view.reason ? { reason: view.reason } : {}) };
    if (isFinal(view.status)) return slot;
    report({ ...slot, busy: true });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new ApiError(0, 'TIMEOUT', '文件检查时间过长，请稍后刷新页面查看');
}

/** A reason may name content types (application/pdf): people read the format's name. */
const FORMAT_NAMES: Record<(typeof DOCUMENT_CONTENT_TYPES)[number], string> = { 'application/pdf': 'PDF', 'application/ofd': 'OFD', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };
const readable = (reason: string) => reason.replace(/\b[a-z]+\/[a-z0-9.+-]+\b/g, (type) => FORMAT_NAMES[type as keyof typeof FORMAT_NAMES] ?? '其他格式');

function StatusText(props: { slot: DocumentSlot }) {
  const { slot } = props;
  if (!slot.status) return null;
  return (
    <span class={`doc-status doc-status-${slot.status.toLowerCase()}`} role="status">
      {DOCUMENT_STATUS_LABELS[slot.status] ?? slot.status}
      {slot.reason ? `：${readable(slot.reason)}` : ''}
    </span>
  );
}

/** The program's checklist: a file per item, or 承诺 where the policy allows a written promise instead. */
export function DocumentChecklist(props: { requirements: readonly Requirement[]; value: DocumentChoices; onChange: (update: (value: DocumentChoices) => DocumentChoices) => void }) {
  const { requirements, value, onChange } = props;
  const setSlot = (docType: string, slot: DocumentSlot) => onChange((current) => ({ ...current, slots: { ...current.slots, [docType]: slot } }));
  const choose = async (docType: string, file: File | undefined) => {
    if (!file) return;
    setSlot(docType, { fileName: file.name, busy: true });
    try {
      setSlot(docType, await uploadDocument(docType, file, (slot) => setSlot(docType, slot)));
    } catch (error) {
      setSlot(docType, { fileName: file.name, error: error as Error });
    }
  };
  const promise = (docType: string, promised: boolean) =>
    onChange((current) => ({ ...current, promises: promised ? [...current.promises, docType] : current.promises.filter((item) => item !== docType) }));
  if (requirements.length === 0) return null;
  return (
    <fieldset class="panel" aria-describedby="documents-hint">
      <legend>申报材料</legend>
      <p class="hint" id="documents-hint">
        每项上传一个 PDF、OFD、JPEG 或 PNG 文件（不超过 20 MiB），上传后系统自动检查。标注“可承诺”的材料可勾选承诺代替上传，获批后将抽查。
      </p>
      <ul class="documents">
        {requirements.map((item) => {
          const slot = value.slots[item.docType] ?? {};
          const promised = value.promises.includes(item.docType);
          const inputId = `doc-${item.docType}`;
          return (
            <li>
              <label for={inputId}>
                {item.title}
                {item.required ? '（必需）' : '（按需提供）'}
                {item.promiseAllowed ? '（可承诺）' : ''}
              </label>
              <span class="hint">{item.proves}</span>
              {promised ? null : (
                <input
                  id={inputId}
                  type="file"
                  accept=".pdf,.ofd,.jpg,.jpeg,.png,application/pdf,application/ofd,image/jpeg,image/png"
                  disabled={slot.busy}
                  onChange={(event) => void choose(item.docType, event.currentTarget.files?.[0])}
                />
              )}
              {slot.busy && !slot.status ? <span role="status">正在上传…</span> : null}
              {!promised ? <StatusText slot={slot} /> : null}
              {slot.error ? <ErrorSummary error={slot.error} title={`${item.title}上传失败`} /> : null}
              {item.promiseAllowed ? (
                <label>
                  <input type="checkbox" checked={promised} onChange={(event) => promise(item.docType, event.currentTarget.checked)} /> 承诺已具备该材料，暂不上传
                </label>
              ) : null}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/** An application's documents with their checks, each opened in a new tab (every view is on the trail). */
export function ApplicationDocuments(props: { applicationId: string; documents?: readonly { docType: string; documentId: string }[]; promises?: readonly string[]; requirements?: readonly Requirement[] }) {
  const documents = props.documents ?? [];
  const { data, error } = useLoad(() => Promise.all(documents.map((doc) => api<DocumentView>('GET', `/documents/${doc.documentId}`))), [props.applicationId, documents.map((doc) => doc.documentId).join()]);
  const [openError, setOpenError] = useState<Error>();
  const title = (docType: string) => props.requirements?.find((item) => item.docType === docType)?.title ?? '其他材料';
  if (documents.length === 0 && !props.promises?.length) return <p>未提交申报材料。</p>;
  return (
    <div>
      <ErrorSummary error={error ?? openError} title="无法打开材料" />
      <ul class="documents" aria-label="申报材料">
        {documents.map((doc, i) => {
          const view = data?.[i];
          return (
            <li>
              <strong>{title(doc.docType)}</strong>
              <span>{view?.fileName ?? '…'}</span>
              {view ? <StatusText slot={{ status: view.status, ...(view.reason ? { reason: view.reason } : {}) }} /> : null}
              {view?.status === 'CLEAN' ? (
                <button
                  type="button"
                  class="secondary"
                  aria-label={`查看 ${title(doc.docType)}`}
                  onClick={() => {
                    setOpenError(undefined);
                    openInNewTab(`/applications/${props.applicationId}/documents/${doc.documentId}/content`).catch(setOpenError);
                  }}
                >
                  查看
                </button>
              ) : null}
            </li>
          );
        })}
        {(props.promises ?? []).map((docType) => (
          <li>
            <strong>{title(docType)}</strong>
            <span>已承诺，暂未上传</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
