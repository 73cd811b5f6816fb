import { ulid } from 'ulid';
import { ENDPOINTS } from '../../schemas/api.js';
import { type BatchLine, batchTotals, budgetExcess } from '../domain/batch.js';
import { chinaDate } from '../domain/dates.js';
import { measuresOf, programOf } from '../domain/programs/index.js';
import { ApiError, conflict, invalid, notFound } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { CONTENT_TYPES, downloadUrl, readExport, writeExport } from '../services/exports.js';
import { applicationsInStatus, getApplication } from '../store/applications.js';
import { type BatchItem, type BatchRecord, batchItems, batchItemsPage, createBatch, creditHolds, getBatch, getBatchItem, listBatches, markExported, recordPayment, settleIfComplete } from '../store/batches.js';
import { budgetUses } from '../store/budget.js';
import { loadParameters } from '../store/parameters.js';
import { enterpriseNames, getRegistryEntry } from '../store/registry.js';
import type { Principal } from '../http/principal.js';
import { maskAccount } from './views.js';
import { ConflictError, retryOnConflict } from '../store/transactions.js';
import type { ProgramId } from '../domain/vocabulary.js';

/** A batch answers with its first items; GET /batches/{id}?nextToken=… pages through the rest. */
const ITEMS_PER_RESPONSE = 1000;

/** Files up to this size are answered inline; larger ones with a download link. */
const INLINE_EXPORT_BYTES = 4 * 1024 * 1024;

/** A batch as shown; the payees' full account numbers only to finance, who pays them (admins see the last four digits). */
function batchView(batch: BatchRecord, items?: BatchItem[], nextToken?: string, viewer?: Principal, names?: ReadonlyMap<string, string>) {
  const { batchId, status, count, total, byProgram, createdAt, createdBy, overBudget, creditHeld, exports } = batch;
  const payeeView = (payee: BatchItem['payee']) => (viewer?.role === 'finance' ? payee : { ...payee, number: maskAccount(payee.number) });
  return {
    batchId,
    status,
    count,
    total,
    byProgram,
    ...(items ? { items: items.map(({ applicationId, uscc, payee, programId, amount, result }) => ({ applicationId, uscc, ...(names?.get(uscc) ? { enterpriseName: names.get(uscc)! } : {}), payee: payeeView(payee), programId, amount, ...(result ? { result } : {}) })) } : {}),
    ...(nextToken ? { nextToken } : {}),
    createdAt,
    createdBy,
    ...(overBudget ? { overBudget } : {}),
    ...(creditHeld?.length ? { creditHeld } : {}),
    ...(exports && Object.keys(exports).length ? { exports: Object.fromEntries(Object.entries(exports).map(([f, { sha256, bytes, at, by }]) => [f, { sha256, bytes, at, by }])) } : {}),
  };
}

async function existingBatch(batchId: string): Promise<BatchRecord> {
  const batch = await getBatch(batchId);
  if (!batch || batch.status === 'CREATING') throw notFound('批次');
  return batch;
}

export const handler = apiHandler([
  route(ENDPOINTS.createBatch, async ({ principal, body }) => {
    const wanted = (programId: string) => !body.programIds || body.programIds.includes(programId as never);
    const pool = [...(await applicationsInStatus('APPROVED')), ...(await applicationsInStatus('PAYMENT_FAILED'))]
      .filter((a) => wanted(a.programId) && !a.batchId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (pool.length === 0) throw conflict('没有待出批的已核准申请');

    const creditHeld = await creditHolds(pool);
    const payees = new Map<string, Awaited<ReturnType<typeof getRegistryEntry>>>();
    const candidates = [];
    for (const application of pool) {
      if (creditHeld.some((h) => h.applicationId === application.id)) continue;
      if (!payees.has(application.uscc)) payees.set(application.uscc, await getRegistryEntry(application.uscc));
      const roster = payees.get(application.uscc);
      if (!roster) continue; // no payee account on the park roster: left for a later batch
      const line: BatchLine = { applicationId: application.id, uscc: application.uscc, programId: application.programId, amount: application.approvedAmount!, payee: roster.bankAccount };
      candidates.push({ application, line, measure: measuresOf(programOf(application.programId)).join('、') });
    }
    if (candidates.length === 0 && creditHeld.length > 0) {
      throw new ApiError('CONFLICT', '待出批申请的主体均被列入严重失信主体名单，暂停支付', creditHeld.map((h) => ({ path: `applications.${h.applicationId}`, message: h.reason })));
    }
    if (candidates.length === 0) throw conflict('待出批申请均缺少入驻主体名录中的收款账户');

    // Budget: the batch may not take a program past its annual budget unless the officer says why.
    const totals = batchTotals(candidates.map((c) => c.line));
    const year = Number(chinaDate(new Date()).slice(0, 4));
    // Stored applications carry a programId checked against PROGRAM_IDS on submission.
    const uses = await budgetUses(totals.byProgram.map((p) => p.programId as ProgramId), year, await loadParameters());
    const excess = budgetExcess(uses, totals);
    if (excess.length > 0 && !body.allowOverBudget) {
      throw new ApiError(
        'CONFLICT',
        '本批次将超出年度预算；如确需出批，请设置 allowOverBudget 并说明理由',
        excess.map((e) => ({ path: `budget.${e.programId}`, message: `年度预算 ${e.budget}，已出批与已支付加本批共 ${e.wouldUse}` })),
      );
    }

    const batch = await createBatch(ulid(), principal.sub, candidates, excess.length > 0 ? { reason: body.reason!, excess } : undefined, creditHeld);
    if (!batch) throw conflict('待出批申请已被其他批次纳入');
    const first = await batchItemsPage(batch.batchId, ITEMS_PER_RESPONSE);
    return { status: 201, body: batchView(batch, first.items, first.nextToken, principal) };
  }),

  route(ENDPOINTS.listBatches, async ({ query }) => {
    const page = await listBatches(query.limit, query.nextToken);
    return { status: 200, body: { ...page, items: page.items.map((batch) => batchView(batch)) } };
  }),

  route(ENDPOINTS.getBatch, async ({ principal, params, query }) => {
    const batch = await existingBatch(params.id);
    const page = await batchItemsPage(batch.batchId, query.limit, query.nextToken);
    const names = await enterpriseNames(page.items.map((item) => item.uscc));
    return { status: 200, body: batchView(batch, page.items, page.nextToken, principal, names) };
  }),

  route(ENDPOINTS.exportBatch, async ({ principal, params, query }) => {
    const batch = await existingBatch(params.id);
    const file = await writeExport(batch, query.format, batchItems(batch.batchId));
    await markExported(batch, query.format, file, principal.sub);
    const headers = { 'x-content-sha256': file.sha256, 'content-disposition': `attachment; filename="payments-${batch.batchId}.${query.format}"` };
    if (file.bytes > INLINE_EXPORT_BYTES) {
      return { status: 303, headers: { ...headers, location: await downloadUrl(file.key) } };
    }
    return { status: 200, file: { content: await readExport(file.key), contentType: CONTENT_TYPES[query.format] }, headers };
  }),

  route(ENDPOINTS.recordPayments, async ({ principal, params, body }) => {
    const batch = await existingBatch(params.id);
    if (batch.status === 'OPEN') throw conflict('请先导出支付文件，再登记银行结果');

    // Check every result before writing any: all must belong to the batch, none may contradict a recorded one.
    type Result = (typeof body.results)[number];
    const same = (recorded: NonNullable<BatchItem['result']>, result: Result) =>
      recorded.status === result.status && (recorded.reference ?? '') === (result.reference ?? '') && (recorded.reason ?? '') === (result.reason ?? '');
    const contradiction = (applicationId: string, recorded: NonNullable<BatchItem['result']>, result: Result) =>
      conflict(`申请 ${applicationId} 已登记为 ${recorded.status}，不能改为 ${result.status}`);
    const checked: Result[] = [];
    for (const [i, result] of body.results.entries()) {
      const item = await getBatchItem(batch.batchId, result.applicationId);
      if (!item) throw invalid(`results.${i}.applicationId`, '该申请不在本批次中');
      if (item.result) {
        if (!same(item.result, result)) throw contradiction(result.applicationId, item.result, result);
        continue; // the same result again: already recorded
      }
      checked.push(result);
    }
    for (const result of checked) {
      // Another request may record this item (or another item of the batch) at the same moment: read
      // again and retry; the same result recorded concurrently counts as recorded, a different one is 409.
      await retryOnConflict(async () => {
        // The application first, then the item: a result recorded in between shows on the item (both
        // change in one transaction), so a concurrent recording is never mistaken for a wrong state.
        const application = await getApplication(result.applicationId);
        const item = (await getBatchItem(batch.batchId, result.applicationId))!;
        if (item.result) {
          if (!same(item.result, result)) throw contradiction(result.applicationId, item.result, result);
          return;
        }
        if (!application || application.status !== 'BATCHED' || application.batchId !== batch.batchId) throw conflict(`申请 ${item.applicationId} 不在待支付状态`);
        await recordPayment(batch, item, application, {
          status: result.status,
          ...(result.reference ? { reference: result.reference } : {}),
          ...(result.reason ? { reason: result.reason } : {}),
          at: new Date().toISOString(),
          by: principal.sub,
        });
      }, 10).catch((error) => {
        if (error instanceof ConflictError) throw conflict('批次正在被同时登记，请稍后重试');
        throw error;
      });
    }
    await settleIfComplete(batch.batchId, principal.sub);
    const after = (await getBatch(batch.batchId))!;
    const first = await batchItemsPage(batch.batchId, ITEMS_PER_RESPONSE);
    return { status: 200, body: batchView(after, first.items, first.nextToken, principal) };
  }),
]);
