import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_CHECKLISTS, checkFile, checklistOf, sampledForCheck, submissionProblems } from '../../functions/domain/documents.js';
import { PROGRAM_IDS } from '../../functions/domain/vocabulary.js';

describe('document checklists (POLICY.md §5.13)', () => {
  it('every program asks for the business licence, which may be promised', () => {
    for (const id of PROGRAM_IDS) {
      expect(checklistOf(id)[0]).toMatchObject({ docType: 'business-licence', title: '营业执照', required: true, promiseAllowed: true });
    }
  });

  it('lists the papers of the text per program, each titled in Chinese with what it proves', () => {
    const types = (id: keyof typeof DOCUMENT_CHECKLISTS) => checklistOf(id).filter((d) => d.required).map((d) => d.docType);
    expect(types('tech-transaction')).toEqual(['business-licence', 'contracts', 'contract-registration', 'invoices']);
    expect(types('talent-housing')).toEqual(['business-licence', 'labour-contract', 'social-insurance-record', 'degree-certificate', 'id-card-copy', 'housing-contract']);
    expect(types('startup-capital')).toEqual(['business-licence', 'selection-notice', 'capital-verification']);
    for (const id of PROGRAM_IDS) {
      for (const item of checklistOf(id)) {
        expect(item.title).toMatch(/[\u4e00-\u9fff]/);
        expect(item.proves.length).toBeGreaterThan(2);
      }
      expect(new Set(checklistOf(id).map((d) => d.docType)).size).toBe(checklistOf(id).length);
    }
  });
});

describe('the submission gate', () => {
  const clean = (docType: string) => ({ docType, documentDocType: docType, status: 'CLEAN' as const, owned: true });

  it('names a missing required docType, and accepts a promise only where allowed', () => {
    const missing = submissionProblems('platform-award', [clean('business-licence')], []);
    expect(missing).toEqual([{ path: 'documents', message: expect.stringContaining('approval-document') }]);
    expect(submissionProblems('platform-award', [clean('approval-document')], ['business-licence'])).toEqual([]);
    const promisedApproval = submissionProblems('platform-award', [], ['business-licence', 'approval-document']);
    expect(promisedApproval.map((p) => p.path)).toEqual(['promises.1']);
  });

  it('refuses documents that are not clean, not the caller’s, or uploaded as another type', () => {
    const problems = submissionProblems(
      'platform-award',
      [
        { ...clean('business-licence'), status: 'SCANNING' },
        { ...clean('approval-document'), owned: false },
        { ...clean('provincial-result'), documentDocType: 'business-licence' },
      ],
      [],
    );
    expect(problems.map((p) => p.path)).toEqual(['documents.0.documentId', 'documents.1.documentId', 'documents.2.documentId']);
  });
});

describe('file checks', () => {
  const declared = { contentType: 'image/png', size: 10, sha256: 'a'.repeat(64) };
  it('rejects a mismatched size, hash or type, and a file whose type the bytes do not show', () => {
    expect(checkFile(declared, { contentType: 'image/png', size: 10, sha256: 'a'.repeat(64) })).toEqual({ ok: true });
    expect(checkFile(declared, { contentType: 'image/png', size: 11, sha256: 'a'.repeat(64) }).ok).toBe(false);
    expect(checkFile(declared, { contentType: 'image/png', size: 10, sha256: 'b'.repeat(64) }).ok).toBe(false);
    expect(checkFile(declared, { contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) })).toMatchObject({ ok: false, reason: expect.stringContaining('application/pdf') });
    expect(checkFile(declared, { contentType: undefined, size: 10, sha256: 'a'.repeat(64) }).ok).toBe(false);
  });
});

describe('事后核查 sampling', () => {
  it('draws about the rate, and the same item always the same way', () => {
    const draws = Array.from({ length: 4000 }, (_, i) => sampledForCheck(createHash('sha256').update(`app-${i}#business-licence`).digest('hex'), 0.2));
    const rate = draws.filter(Boolean).length / draws.length;
    expect(rate).toBeGreaterThan(0.17);
    expect(rate).toBeLessThan(0.23);
    const hash = createHash('sha256').update('x').digest('hex');
    expect(sampledForCheck(hash, 0.2)).toBe(sampledForCheck(hash, 0.2));
    expect(sampledForCheck(hash, 0)).toBe(false);
    expect(sampledForCheck(hash, 1)).toBe(true);
  });
});
