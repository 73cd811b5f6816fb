import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR, TEST_MALWARE_MARKER } from '../../infra/local/clamd.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { checked, pdf, upload } from '../support/documents.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/** Supporting documents on the local stack: presigned POST to the local S3, the S3 event, the checks and clamd. */
describe('supporting documents (申报材料)', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const owner = uscc(301);
  let enterprise: ApiClient;
  let other: ApiClient;
  let finance: ApiClient;

  beforeAll(async () => {
    await stack.start();
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    expect((await admin.put(`/registry/${owner}`, registryEntry())).status).toBe(200);
    enterprise = await stack.as({ sub: 'clerk-1', role: 'enterprise', uscc: owner });
    other = await stack.as({ sub: 'clerk-2', role: 'enterprise', uscc: uscc(302) });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
  });
  afterAll(() => stack.stop());

  it('GET /programs lists each program’s checklist', async () => {
    const { body } = await enterprise.get('/programs');
    const platform = body.items.find((p: { programId: string }) => p.programId === 'platform-award');
    expect(platform.documents[0]).toMatchObject({ docType: 'business-licence', title: '营业执照', required: true, promiseAllowed: true });
    expect(platform.documents.map((d: { docType: string }) => d.docType)).toContain('approval-document');
  });

  it('an uploaded PDF is checked and scanned, then CLEAN; only its owner sees it before use', async () => {
    const { documentId, s3Status } = await upload(enterprise, 'business-licence', pdf('licence', 4096));
    expect(s3Status).toBe(204);
    const document = await checked(enterprise, documentId);
    expect(document).toMatchObject({ documentId, docType: 'business-licence', fileName: '营业执照.pdf', size: 4096, status: 'CLEAN' });
    expect((await other.get(`/documents/${documentId}`)).status).toBe(404);
    expect((await finance.get(`/documents/${documentId}`)).status).toBe(404);
  });

  it('S3 itself refuses a file larger than declared, or of another Content-Type; the document stays PENDING_UPLOAD', async () => {
    const bytes = pdf('oversize', 2048);
    const oversize = await upload(enterprise, 'business-licence', bytes, { size: 2047 });
    expect(oversize.s3Status).toBe(400);
    expect(oversize.s3Body).toContain('<Code>EntityTooLarge</Code>');
    const wrongType = await upload(enterprise, 'business-licence', bytes, {}, { contentType: 'image/png' });
    expect(wrongType.s3Status).toBe(403);
    expect(wrongType.s3Body).toContain('Policy Condition failed');
    for (const id of [oversize.documentId, wrongType.documentId]) {
      expect((await enterprise.get(`/documents/${id}`)).body.status).toBe('PENDING_UPLOAD');
    }
  });

  it('a PDF carrying EICAR or the test marker is REJECTED by the malware scan', async () => {
    for (const marker of [EICAR, TEST_MALWARE_MARKER]) {
      const { documentId } = await upload(enterprise, 'business-licence', pdf(marker));
      const document = await checked(enterprise, documentId);
      expect(document.status).toBe('REJECTED');
      expect(document.reason).toMatch(/恶意代码.*Jcg\.Test/);
    }
  });

  it('a PDF declared as PNG, or with another SHA-256, is REJECTED', async () => {
    const bytes = pdf('typed');
    const asPng = await upload(enterprise, 'business-licence', bytes, { contentType: 'image/png', fileName: 'scan.png' });
    expect(asPng.s3Status).toBe(204);
    expect(await checked(enterprise, asPng.documentId)).toMatchObject({ status: 'REJECTED', reason: expect.stringContaining('application/pdf') });
    const wrongHash = await upload(enterprise, 'business-licence', bytes, { sha256: 'ab'.repeat(32) });
    expect(await checked(enterprise, wrongHash.documentId)).toMatchObject({ status: 'REJECTED', reason: expect.stringContaining('SHA-256') });
  });

  it('refuses a bad declaration with the field’s path', async () => {
    const tooLarge = await enterprise.post('/documents', { docType: 'business-licence', fileName: 'a.pdf', contentType: 'application/pdf', size: 20 * 1024 * 1024 + 1, sha256: 'a'.repeat(64) });
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error.issues[0].path).toBe('size');
    const zip = await enterprise.post('/documents', { docType: 'business-licence', fileName: 'a.zip', contentType: 'application/zip', size: 10, sha256: 'a'.repeat(64) });
    expect(zip.body.error.issues[0].path).toBe('contentType');
    expect((await finance.post('/documents', { docType: 'business-licence', fileName: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) })).status).toBe(403);
  });

  it('the submission gate: required documents CLEAN and the caller’s, or promised where allowed; reviewers then see them', async () => {
    const admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const on = await admin.put('/parameters/documents.checklist-enforced', { from: today, value: '1', reason: '申报材料清单自今日起执行' });
    expect(on.status).toBe(200);

    const missing = await enterprise.post('/applications', platformAward('DOC-1'), { 'idempotency-key': 'doc-gate-0001' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues.map((i: { message: string }) => i.message).join()).toMatch(/business-licence.*approval-document|approval-document/);

    const approval = (await upload(enterprise, 'approval-document', pdf('approval'))).documentId;
    expect((await checked(enterprise, approval)).status).toBe('CLEAN');
    const othersLicence = (await upload(other, 'business-licence', pdf('other licence'))).documentId;
    expect((await checked(other, othersLicence)).status).toBe('CLEAN');
    const foreign = await enterprise.post(
      '/applications',
      { ...platformAward('DOC-1'), documents: [{ docType: 'approval-document', documentId: approval }, { docType: 'business-licence', documentId: othersLicence }] },
      { 'idempotency-key': 'doc-gate-0002' },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.issues).toEqual([{ path: 'documents.1.documentId', message: expect.any(String) }]);
    const promisedApproval = await enterprise.post('/applications', { ...platformAward('DOC-1'), promises: ['business-licence', 'approval-document'] }, { 'idempotency-key': 'doc-gate-0003' });
    expect(promisedApproval.status).toBe(400);
    expect(promisedApproval.body.error.issues[0].path).toBe('promises.1');

    const submitted = await enterprise.post(
      '/applications',
      { ...platformAward('DOC-1'), documents: [{ docType: 'approval-document', documentId: approval }], promises: ['business-licence'] },
      { 'idempotency-key': 'doc-gate-0004' },
    );
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ documents: [{ docType: 'approval-document', documentId: approval }], promises: ['business-licence'] });

    // Used by an application: its reviewers and the admin see the document; finance and other enterprises do not.
    const park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    const task = await eventually(async () => (await park.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === submitted.body.id), 'the park task');
    expect((await park.get(`/documents/${approval}`)).body).toMatchObject({ documentId: approval, status: 'CLEAN' });
    expect((await admin.get(`/documents/${approval}`)).status).toBe(200);
    expect((await finance.get(`/documents/${approval}`)).status).toBe(404);
    expect((await other.get(`/documents/${approval}`)).status).toBe(404);

    // The reviewer opens it: a 303 to a short-lived link that shows the file under its Chinese name; the view is on the trail.
    const opened = await fetch(`${stack.url}/applications/${submitted.body.id}/documents/${approval}/content`, { headers: { authorization: `Bearer ${park.token}` }, redirect: 'manual' });
    expect(opened.status).toBe(303);
    const file = await fetch(opened.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf('approval'));
    expect(file.headers.get('content-disposition')).toBe(`inline; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照')}.pdf`);
    const events = (await park.get(`/applications/${submitted.body.id}/events`)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'DOCUMENT_VIEWED')).toEqual([expect.objectContaining({ actor: 'park-1', data: { documentId: approval, docType: 'approval-document' } })]);
    const financeView = await fetch(`${stack.url}/applications/${submitted.body.id}/documents/${approval}/content`, { headers: { authorization: `Bearer ${finance.token}` }, redirect: 'manual' });
    expect(financeView.status).toBe(403);
    expect((await other.get(`/applications/${submitted.body.id}/documents/${approval}/content`)).status).toBe(404);

    // Returned with a document issue: the resubmission must replace that document.
    const issues = [{ docType: 'approval-document', comment: '批准文件扫描件不清晰，请重新上传' }];
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'approve', documentIssues: issues })).status).toBe(400);
    expect((await park.post(`/tasks/${task.taskId}/decision`, { decision: 'return', comment: '请更换批准文件', documentIssues: issues })).status).toBe(200);
    const returned = await eventually(async () => {
      const { body } = await enterprise.get(`/applications/${submitted.body.id}`);
      return body.status === 'RETURNED' ? body : undefined;
    }, 'RETURNED');
    expect(returned.documentIssues).toEqual(issues);
    const unchanged = await enterprise.put(`/applications/${submitted.body.id}`, { details: platformAward('DOC-1').details, documents: [{ docType: 'approval-document', documentId: approval }] });
    expect(unchanged.status).toBe(400);
    expect(unchanged.body.error.issues[0].message).toContain('approval-document');
    const clearer = (await upload(enterprise, 'approval-document', pdf('approval, clearer'))).documentId;
    expect((await checked(enterprise, clearer)).status).toBe('CLEAN');
    const resubmitted = await enterprise.put(`/applications/${submitted.body.id}`, { details: platformAward('DOC-1').details, documents: [{ docType: 'approval-document', documentId: clearer }] });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'SUBMITTED', documents: [{ docType: 'approval-document', documentId: clearer }], promises: ['business-licence'] });
    expect(resubmitted.body.documentIssues).toBeUndefined();

    // Awarded with a promised licence: it lands in the 事后核查 pool (every item drawn at rate 1), with what to check.
    const kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    const leadership = await stack.as({ sub: 'leader-1', role: 'reviewer', dept: 'leadership' });
    for (const reviewer of [park, kejiju, leadership]) {
      const open = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === submitted.body.id), 'a task');
      expect((await reviewer.post(`/tasks/${open.taskId}/decision`, { decision: 'approve', comment: '材料已核' })).status).toBe(200);
    }
    await throughPublicity(kejiju, enterprise, [submitted.body.id]);
    expect((await admin.put('/parameters/documents.promise-sample-rate', { from: today, value: '1', reason: '全部抽查（测试）' })).status).toBe(200);
    const checks = await kejiju.get('/promise-checks');
    expect(checks.body.rate).toBe('1');
    expect(checks.body.items).toEqual([
      expect.objectContaining({ applicationId: submitted.body.id, docType: 'business-licence', title: '营业执照', check: expect.stringContaining('统一社会信用代码') }),
    ]);
    expect((await park.get('/promise-checks')).body.items).toEqual([]);
    expect((await enterprise.get('/promise-checks')).status).toBe(403);
  });
});
