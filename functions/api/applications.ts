import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { chinaDate } from '../domain/dates.js';
import { INITIAL_STATUSES, allows } from '../domain/lifecycle.js';
import type { ProgramId } from '../domain/vocabulary.js';
import { submissionProblems } from '../domain/documents.js';
import { valueOn } from '../domain/parameters.js';
import { documentUse, getDocument } from '../store/documents.js';
import { loadParameters } from '../store/parameters.js';
import { protectDetails } from '../domain/personal-data.js';
import { config } from '../config.js';
import { ApiError, conflict, invalid, notFound } from '../http/errors.js';
import { enterpriseNames, usccsNamed } from '../store/registry.js';
import { Uscc } from '../../schemas/common.js';
import { type ApplicationSubmission, ProgramApplication } from '../../schemas/programs.js';
import { eventPut } from '../store/events.js';
import { newOutboxItem, pendingDelivery } from '../store/outbox.js';
import { taskCancellation } from '../store/tasks.js';
import { ConflictError, transact } from '../store/transactions.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { deliver, deliverPending } from '../services/workflow.js';
import { viewUrl } from '../services/documents.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { db } from '../store/client.js';
import { type ApplicationRecord, applied, getApplication, listApplications, submitApplication, transitionWrites, updateApplication } from '../store/applications.js';
import { listEvents } from '../store/events.js';
import { applicationView, eventView } from './views.js';

/** Canonical JSON (keys sorted), so that the same request hashes the same however its keys are ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** An application the caller may see: an enterprise sees only its own; others' are 404, never 403. */
async function visibleApplication(id: string, principal: Principal): Promise<ApplicationRecord> {
  const application = await getApplication(id);
  if (!application || (principal.role === 'enterprise' && application.uscc !== principal.uscc)) throw notFound('申请');
  return application;
}

/**
 * The submission gate (§5.13): the documents named must be the caller's and CLEAN, promises only where
 * allowed, and — once `documents.checklist-enforced` is 1 on the submission day — every required item
 * present or promised. A 400 names each docType that falls short.
 */
async function checkDocuments(programId: ProgramId, uscc: string, documents: readonly { docType: string; documentId: string }[], promises: readonly string[], submittedOn: string): Promise<void> {
  const stored = await Promise.all(documents.map((doc) => getDocument(doc.documentId)));
  const enforced = valueOn(await loadParameters(), 'documents.checklist-enforced', submittedOn).value === '1';
  const problems = submissionProblems(
    programId,
    documents.map((doc, i) => {
      const found = stored[i];
      return { docType: doc.docType, owned: found?.uscc === uscc, status: found?.status ?? 'PENDING_UPLOAD', documentDocType: found?.docType ?? doc.docType };
    }),
    promises,
    enforced,
  );
  if (problems.length > 0) throw new ApiError('VALIDATION_ERROR', '申报材料不齐全或未通过检查', problems);
}

/** 申请查询's enterprise filter: a USCC as it is, otherwise the roster names that contain the text. */
async function usccsFor(enterprise: string): Promise<string[]> {
  const code = enterprise.trim().toUpperCase();
  return Uscc.safeParse(code).success ? [code] : usccsNamed(enterprise.trim());
}

export const handler = apiHandler([
  route(ENDPOINTS.createApplication, async ({ principal, headers, body }) => {
    if (principal.role !== 'enterprise') throw new ApiError('FORBIDDEN', '只有企业可以提交申请');
    const requestHash = createHash('sha256').update(canonical(body)).digest('hex');
    const now = new Date();
    // The schema's cast keeps the program union's type; these two fields are validated by it too.
    const { documents = [], promises = [] } = body as ApplicationSubmission;
    await checkDocuments(body.programId, principal.uscc, documents, promises, chinaDate(now));
    const id = ulid();
    const outcome = await submitApplication(
      {
        id,
        programId: body.programId,
        uscc: principal.uscc,
        status: INITIAL_STATUSES.submit.status,
        // Resident ID numbers are replaced by person key and masked form before anything is stored.
        details: protectDetails(body.details, await config.personKeySecret()) as Record<string, unknown>,
        submittedOn: chinaDate(now),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        version: 1,
        ...(documents.length ? { documents } : {}),
        ...(promises.length ? { promises } : {}),
      },
      { key: headers['idempotency-key'], requestHash },
      // Each document is still the caller's and CLEAN when the application is stored, and is marked used.
      documents.map((doc) => documentUse(doc.documentId, principal.uscc, id)),
    ).catch((error) => {
      if (error instanceof ConflictError && documents.some((_, i) => error.failedAt(4 + i))) throw new ApiError('VALIDATION_ERROR', '申报材料状态已变更，请刷新后重试');
      throw error;
    });

    if (outcome.created) {
      const started = await deliver(outcome.start);
      const application = started ? { ...outcome.application, delivery: undefined } : outcome.application;
      return { status: 201, body: applicationView(application, principal) };
    }
    if (outcome.requestHash !== requestHash) {
      throw new ApiError('IDEMPOTENCY_MISMATCH', '该 Idempotency-Key 已用于另一份不同的申请');
    }
    const existing = await getApplication(outcome.applicationId);
    if (!existing) throw new Error(`Idempotency record points to missing application ${outcome.applicationId}`);
    // The first attempt may have stopped between storing and starting: starting again is harmless.
    await deliverPending(existing);
    return { status: 200, body: applicationView(existing, principal) };
  }),

  route(ENDPOINTS.listApplications, async ({ principal, query }) => {
    const { limit, nextToken, enterprise, id, ...filter } = query;
    const own = principal.role === 'enterprise';
    if (enterprise && own) throw invalid('enterprise', '企业只能查询本企业的申请');
    const named = async (items: ApplicationRecord[]) => {
      const names = await enterpriseNames(items.map((a) => a.uscc));
      return items.map((a) => applicationView(a, principal, names));
    };
    if (id) {
      // One application by its number: the same visibility as GET /applications/{id}, and the other filters still apply.
      const found = await getApplication(id);
      const visible = found && (!own || found.uscc === principal.uscc) && (!enterprise || found.uscc === enterprise || (await usccsFor(enterprise)).includes(found.uscc));
      const matches = visible && (['status', 'programId', 'stage'] as const).every((field) => filter[field] === undefined || filter[field] === found[field]);
      return { status: 200, body: { items: matches ? await named([found]) : [] } };
    }
    let uscc = own ? principal.uscc : undefined;
    if (enterprise) {
      const usccs = await usccsFor(enterprise);
      if (usccs.length === 0) return { status: 200, body: { items: [] } };
      if (usccs.length > 1) throw invalid('enterprise', `名录中有 ${usccs.length} 家企业的名称包含“${enterprise}”，请输入完整名称或统一社会信用代码`);
      uscc = usccs[0];
    }
    const page = await listApplications(uscc ? { ...filter, uscc } : filter, limit, nextToken, own ? principal.sub : undefined);
    return { status: 200, body: { ...page, items: await named(page.items) } };
  }),

  route(ENDPOINTS.getApplication, async ({ principal, params }) => {
    const application = await visibleApplication(params.id, principal);
    return { status: 200, body: applicationView(application, principal, await enterpriseNames([application.uscc])) };
  }),

  route(ENDPOINTS.resubmitApplication, async ({ principal, params, body }) => {
    const application = await visibleApplication(params.id, principal);
    if (!allows(application.status, 'resubmit') || !application.revisionToken) throw conflict('只有被退回补正的申请才能修改后重新提交');
    const parsed = ProgramApplication.safeParse({ programId: application.programId, details: body.details });
    if (!parsed.success) {
      throw new ApiError('VALIDATION_ERROR', '请求参数有误', parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    }
    const details = protectDetails(parsed.data.details, await config.personKeySecret()) as Record<string, unknown>;
    // The documents the reviewer named must come back as new, CLEAN documents of the enterprise.
    const replacements = body.documents ?? [];
    const problems = (application.documentIssues ?? [])
      .filter((issue) => !replacements.some((doc) => doc.docType === issue.docType && !application.documents?.some((old) => old.documentId === doc.documentId)))
      .map((issue) => ({ path: 'documents', message: `须重新上传 ${issue.docType}：${issue.comment}` }));
    if (problems.length > 0) throw new ApiError('VALIDATION_ERROR', '请按退回意见更换材料', problems);
    if (replacements.length > 0) {
      const promises = (application.promises ?? []).filter((docType) => !replacements.some((doc) => doc.docType === docType));
      const kept = (application.documents ?? []).filter((old) => !replacements.some((doc) => doc.docType === old.docType));
      await checkDocuments(application.programId as ProgramId, application.uscc, [...kept, ...replacements], promises, application.submittedOn);
    }
    const documents = replacements.length ? [...(application.documents ?? []).filter((old) => !replacements.some((doc) => doc.docType === old.docType)), ...replacements] : undefined;
    const resume = newOutboxItem(application.id, { action: 'SendTaskSuccess', taskToken: application.revisionToken, output: JSON.stringify({ resubmitted: true }) });
    let resubmitted: ApplicationRecord;
    try {
      resubmitted = await updateApplication(
        application,
        'resubmit',
        { details, ...(documents ? { documents } : {}) },
        { actor: principal.sub, ...(replacements.length ? { data: { documents: replacements } } : {}) },
        resume,
        replacements.map((doc) => documentUse(doc.documentId, application.uscc, application.id)),
      );
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('申请已变更，请刷新后重试');
      throw error;
    }
    if (await deliver(resume)) delete resubmitted.delivery;
    return { status: 200, body: applicationView(resubmitted, principal) };
  }),

  route(ENDPOINTS.withdrawApplication, async ({ principal, params, body }) => {
    const application = await visibleApplication(params.id, principal);
    if (!allows(application.status, 'withdraw')) throw conflict(`状态为 ${application.status} 的申请不能撤回`);
    const at = new Date().toISOString();
    const withdrawal = { by: principal.sub, reason: body?.reason ?? '申请人撤回', at };
    const stop = newOutboxItem(application.id, { action: 'StopExecution', cause: withdrawal.reason }, at);
    try {
      await transact([
        ...transitionWrites(application, 'withdraw', { withdrawal }, { actor: principal.sub, data: { reason: withdrawal.reason, stage: application.stage } }, at, stop),
        ...(application.openTaskId ? [taskCancellation(application.openTaskId, at)] : []),
      ]);
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('申请正在变更，请刷新后重试');
      throw error;
    }
    const withdrawn = applied(application, 'withdraw', { withdrawal }, at, pendingDelivery(stop));
    if (await deliver(stop)) delete withdrawn.delivery;
    return { status: 200, body: applicationView(withdrawn, principal) };
  }),

  route(ENDPOINTS.getApplicationDocument, async ({ principal, params }) => {
    const application = await visibleApplication(params.id, principal);
    const listed = application.documents?.find((doc) => doc.documentId === params.documentId);
    const document = listed ? await getDocument(listed.documentId) : undefined;
    if (!document || document.status !== 'CLEAN') throw notFound('材料');
    const at = new Date().toISOString();
    // The view is on the trail before the link is given out.
    await db.send(new PutCommand(eventPut({ applicationId: application.id, type: 'DOCUMENT_VIEWED', at, actor: principal.sub, data: { documentId: document.documentId, docType: document.docType } }).Put));
    return { status: 303, headers: { location: await viewUrl(document), 'cache-control': 'no-store' } };
  }),

  route(ENDPOINTS.listApplicationEvents, async ({ principal, params, query }) => {
    const application = await visibleApplication(params.id, principal);
    const page = await listEvents(params.id, query.limit, query.nextToken, principal.role === 'enterprise' ? principal.sub : undefined);
    return { status: 200, body: { ...page, items: page.items.map((event) => eventView(event, application, principal)) } };
  }),
]);
