import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformAward, registryEntry, residentId, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

const idNumber = residentId('14050219880512123');
const person = { idNumber, name: '李博士', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 8, fullTime: true };
const housing = { programId: 'talent-housing', details: { person, subsidy: { type: 'rent', months: ['2025-02', '2025-03'], monthlyRent: '1500.00' } } };
/** A person key in any form: `person:` followed by the HMAC (base64url or hex, long). */
const PERSON_KEY = /person:[A-Za-z0-9_-]{16,}/;

/**
 * Who sees what: enterprises never see a person key or a reviewer's identity; free text never carries an
 * ID number; names and account numbers go to the roles that need them (the matrix in SECURITY.md).
 */
describe('privacy of people and accounts', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const enterpriseUscc = uscc(151);
  let admin: ApiClient;
  let clerk: ApiClient;
  let park: ApiClient;
  let renshe: ApiClient;
  let finance: ApiClient;
  let applicationId = '';

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-7', role: 'admin' });
    clerk = await stack.as({ sub: 'clerk-151', role: 'enterprise', uscc: enterpriseUscc });
    park = await stack.as({ sub: 'park-reviewer-7', role: 'reviewer', dept: 'park' });
    renshe = await stack.as({ sub: 'renshe-reviewer-7', role: 'reviewer', dept: 'renshe' });
    finance = await stack.as({ sub: 'finance-7', role: 'finance' });
    expect((await admin.put(`/registry/${enterpriseUscc}`, registryEntry())).status).toBe(200);
    // A prior grant to the same person: the assessment then names it (by benefit key).
    const imported = await admin.post('/ledger/grants', {
      grants: [{ grantId: 'PRIOR-RENT-1', subjectType: 'person', subjectId: idNumber, category: 'housing-rent', period: '2025-02', amount: '500.00', policy: '其他政策', level: 'municipal', grantedOn: '2025-03-01' }],
    });
    expect(imported.status).toBeLessThan(300);

    const submitted = await clerk.post('/applications', housing, { 'idempotency-key': 'privacy-0001' });
    expect(submitted.status).toBe(201);
    applicationId = submitted.body.id;
    for (const reviewer of [park, renshe]) {
      const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === applicationId), 'a task');
      expect((await reviewer.post(`/tasks/${task.taskId}/claim`)).status).toBe(200);
      expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve', comment: '材料齐全' })).status).toBe(200);
    }
    // The 人社局 reviewer publishes the notice (公示); its name there is masked.
    await throughPublicity(renshe, clerk, [applicationId]);
  });
  afterAll(() => stack.stop());

  it('shows the enterprise roles and departments in its trail, never a reviewer identity or a person key', async () => {
    const trail = (await clerk.get(`/applications/${applicationId}/events?limit=100`)).body.items as { type: string; actor: string }[];
    const text = JSON.stringify(trail);
    expect(trail.map((e) => e.type)).toContain('GRANTED');
    for (const sub of ['park-reviewer-7', 'renshe-reviewer-7', 'clerk-151']) expect(text).not.toContain(sub);
    expect(text).not.toMatch(PERSON_KEY);
    const actors = Object.fromEntries(trail.map((e) => [`${e.type}`, e.actor]));
    expect(actors).toMatchObject({ SUBMITTED: '申请企业', GRANTED: '系统', NOTICE_PUBLISHED: '市人社局', PUBLICITY_ENDED: '系统' });
    expect(trail.filter((e) => e.type === 'DECIDED').map((e) => e.actor)).toEqual(['园区审核人员', '市人社局审核人员']);
    expect(trail.filter((e) => e.type === 'CLAIMED').map((e) => e.actor)).toEqual(['园区审核人员', '市人社局审核人员']);

    // Staff keep the identities (for accountability); person keys stay internal for them too.
    const staffTrail = JSON.stringify((await admin.get(`/applications/${applicationId}/events?limit=100`)).body.items);
    expect(staffTrail).toContain('park-reviewer-7');
    expect(staffTrail).not.toMatch(PERSON_KEY);
  });

  it('never shows a person key in an application, to anyone', async () => {
    for (const client of [clerk, park, admin, finance]) {
      const { body } = await client.get(`/applications/${applicationId}`);
      expect(body.assessment.priorGrants.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(PERSON_KEY);
      expect(JSON.stringify(body)).not.toContain(idNumber);
    }
  });

  it('never shows a person key in a quote', async () => {
    const { status, body } = await clerk.post('/quotes', housing);
    expect(status).toBe(200);
    // This enterprise's own rent grant shows what it was, without the person key; the rent granted under
    // another policy, not to this enterprise, shows only as an amount deducted.
    expect(body.priorGrants).toEqual([
      {
        benefitKey: 'person:*:housing-rent:2025-03',
        amount: '1500.00',
        policy: '晋市政办〔2024〕39号',
        explanation: '该人员（2025-03）已由“晋市政办〔2024〕39号”支持 1,500.00元，按就高不重复，本项不再重复支持这部分',
      },
      // The explanation of a grant to someone else names neither its policy nor its subject.
      { benefitKey: 'person:*', amount: '500.00', policy: '已享受的同类支持（不显示来源）', explanation: '该人员已享受同类支持 500.00元，按就高不重复，本项扣减这部分' },
    ]);
    expect(JSON.stringify(body)).not.toMatch(PERSON_KEY);
  });

  it('publishes a 公示 with the person masked and no ID number, account or application id', async () => {
    const { ApiClient: Client } = await import('../support/local-stack.js');
    const { body } = await new Client(stack, undefined).get('/public/notices');
    const text = JSON.stringify(body);
    expect(body.items[0].items[0].personName).toBe('李**');
    for (const secret of ['李博士', idNumber, '6216600000001234567', applicationId]) expect(text).not.toContain(secret);
  });

  it('shows finance a person by family name only; reviewers see the name they review', async () => {
    expect((await park.get(`/applications/${applicationId}`)).body.details.person.name).toBe('李博士');
    expect((await finance.get(`/applications/${applicationId}`)).body.details.person.name).toBe('李**');
  });

  it('shows full account numbers to finance only', async () => {
    const batch = await finance.post('/batches', {});
    expect(batch.status).toBe(201);
    expect(batch.body.items[0].payee.number).toBe('6216600000001234567');
    expect((await finance.get(`/batches/${batch.body.batchId}`)).body.items[0].payee.number).toBe('6216600000001234567');
    expect((await admin.get(`/batches/${batch.body.batchId}`)).body.items[0].payee.number).toBe('***************4567');
  });

  describe('an ID number typed into free text is refused with a 400 that says why', () => {
    const fullWidth = [...idNumber].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    const cases: [string, () => Promise<{ status: number; body: any }>, string][] = [
      ['a platform name', () => clerk.post('/quotes', { ...platformAward('LAB-ID'), details: { ...platformAward('LAB-ID').details, platformName: `实验室 ${idNumber}` } }), 'details.platformName'],
      ['a platform id', () => clerk.post('/quotes', { ...platformAward(idNumber) }), 'details.platformId'],
      ['a person name', () => clerk.post('/quotes', { ...housing, details: { ...housing.details, person: { ...person, name: `李${idNumber}` } } }), 'details.person.name'],
      ['a counterparty', () => clerk.post('/quotes', { programId: 'tech-transaction', details: { year: 2025, contracts: [{ contractNo: 'C-1', mode: 'transfer', amount: '1000.00', counterparty: `个人${idNumber}`, signedOn: '2025-03-01' }] } }), 'details.contracts.0.counterparty'],
      ['full-width digits', () => clerk.post('/quotes', { ...platformAward('LAB-ID'), details: { ...platformAward('LAB-ID').details, platformName: fullWidth } }), 'details.platformName'],
      ['a grant id', () => admin.post('/ledger/grants', { grants: [{ grantId: idNumber, subjectType: 'enterprise', subjectId: enterpriseUscc, category: 'platform', amount: '1.00', policy: 'x', grantedOn: '2025-01-01' }] }), 'grants.0.grantId'],
      ['a registry name', () => admin.put(`/registry/${uscc(152)}`, registryEntry(`公司${idNumber}`)), 'name'],
      ['a withdrawal reason', () => clerk.post(`/applications/${applicationId}/withdraw`, { reason: `本人 ${idNumber.toLowerCase()}` }), 'reason'],
    ];
    it.each(cases)('in %s', async (_what, send, path) => {
      const { status, body } = await send();
      expect(status).toBe(400);
      const issue = body.error.issues.find((i: { path: string }) => i.path === path);
      expect(issue?.message).toContain('身份证号码');
    });

    it('in a review comment', async () => {
      const { body } = await clerk.post('/applications', platformAward('LAB-ID-C', 'municipal-tech-innovation-center'), { 'idempotency-key': 'privacy-0002' });
      const task = await eventually(async () => (await park.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === body.id), 'a task');
      const refused = await park.post(`/tasks/${task.taskId}/decision`, { decision: 'return', comment: `请核对 ${idNumber}` });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0]).toMatchObject({ path: 'comment', message: expect.stringContaining('身份证号码') });
    });

    it('but not 18 digits that are no valid ID number', async () => {
      const notAnId = `${idNumber.slice(0, 17)}${idNumber[17] === '0' ? '1' : '0'}`;
      expect((await clerk.post('/quotes', { ...platformAward('LAB-ID'), details: { ...platformAward('LAB-ID').details, platformName: `编号 ${notAnId}` } })).status).toBe(200);
    });
  });
});
