import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEntry, residentId, uscc } from '../support/fixtures.js';
import { ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';

/** The policy engine over HTTP: programs, the 政策计算器, imports into the ledger, the credit list, parameters. */
describe('the policy engine through the API', () => {
  // Debug logging on: even then no ID number may reach the logs.
  const stack = new LocalStackProcess({ inMemory: true, env: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } });
  const enterpriseUscc = uscc(51);
  const idNumber = residentId('14050219900307123');
  const person = { idNumber, name: '张博士', degree: 'phd', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 8, fullTime: true };
  let admin: ApiClient;
  let enterprise: ApiClient;
  let finance: ApiClient;

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    enterprise = await stack.as({ sub: 'clerk-51', role: 'enterprise', uscc: enterpriseUscc });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
    await admin.put(`/registry/${enterpriseUscc}`, registryEntry());
  });
  afterAll(() => stack.stop());

  it('lists every program with its measures and the parameters in force, each with its source', async () => {
    const { status, body } = await enterprise.get('/programs');
    expect(status).toBe(200);
    expect(body.items.map((p: { programId: string }) => p.programId)).toHaveLength(10);
    const housing = body.items.find((p: { programId: string }) => p.programId === 'talent-housing');
    expect(housing).toMatchObject({ department: 'renshe', measures: ['晋市政办〔2024〕39号 第14条'] });
    expect(housing.parameters).toContainEqual({
      name: 'm14.rent.monthly-cap',
      from: '2024-12-02',
      value: '2000',
      source: '晋市政办〔2024〕39号 第14条',
      unit: '元/月',
      description: '租房补贴每人每月上限',
      law: { citation: '晋市政办〔2024〕39号 第14条', quote: '最高 2000 元/月的租房补贴' },
    });
    expect(housing.provisions).toEqual([expect.objectContaining({ article: 14, citation: '晋市政办〔2024〕39号 第14条', text: expect.stringMatching(/^给予购\(租\)房补贴。/) })]);
    expect(housing.parameters).toContainEqual(expect.objectContaining({ name: 'm14.purchase.phd', value: '200000', source: 'default' }));
  });

  it('quotes without storing anything, and quotes for an enterprise only when staff name it', async () => {
    const body = { programId: 'startup-capital', details: { paidInCapital: '600000.00', selectedOn: '2025-03-01' } };
    const quote = await enterprise.post('/quotes', body);
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ eligible: true, amount: '300000.00', currency: 'CNY' });
    expect(quote.body.lines[0].measure).toBe('晋市政办〔2024〕39号 第3条');
    expect((await finance.post('/quotes', body)).body.error.issues[0].path).toBe('uscc');
    expect((await finance.post('/quotes', { ...body, uscc: enterpriseUscc })).body.amount).toBe('300000.00');
    expect((await enterprise.get('/applications')).body.items).toEqual([]);
  });

  it('imports prior grants once per grantId, and quotes list the grants that reduced them', async () => {
    // Platforms are known by their official name; a provincial grant is an input, never a deduction (§5.1).
    const grant = { grantId: 'OTHER-2025-001', subjectType: 'platform', subjectId: '省重点实验室', level: 'municipal', category: 'construction', amount: '300000.00', policy: '晋城市科技创新平台政策', grantedOn: '2025-02-01' };
    const provincial = { ...grant, grantId: 'SX-2025-001', level: 'provincial', amount: '500000.00', policy: '山西省科技创新平台政策' };
    const first = await admin.post('/ledger/grants', { grants: [grant, provincial] });
    expect(first.body.items).toEqual([
      { grantId: 'OTHER-2025-001', benefitKey: 'platform:省重点实验室:construction', status: 'imported' },
      { grantId: 'SX-2025-001', benefitKey: 'platform:省重点实验室:construction', status: 'imported' },
    ]);
    const { level: _level, ...withoutLevel } = grant;
    expect((await admin.post('/ledger/grants', { grants: [{ ...withoutLevel, grantId: 'NO-LEVEL-1' }] })).body.error.issues[0].path).toBe('grants.0.level');
    const again = await admin.post('/ledger/grants', { grants: [grant] });
    expect(again.body.items[0].status).toBe('already-imported');

    const quote = await enterprise.post('/quotes', {
      programId: 'platform-award',
      details: { platformId: 'ANOTHER-ID', platformName: '省 重点实验室', kind: 'provincial-key-lab', approvedOn: '2025-06-01' },
    });
    expect(quote.body).toMatchObject({ eligible: true, amount: '200000.00' });
    expect(quote.body.priorGrants).toEqual([
      {
        benefitKey: 'platform:省重点实验室:construction',
        amount: '300000.00',
        policy: '晋城市科技创新平台政策',
        explanation: '该平台已由“晋城市科技创新平台政策”支持 30万元，按就高不重复，本项不再重复支持这部分',
      },
    ]);
  });

  it('keys a person’s grants by the person key, never by the ID number', async () => {
    const imported = await admin.post('/ledger/grants', {
      grants: [{ grantId: 'HR-2025-01', subjectType: 'person', subjectId: idNumber, level: 'municipal', category: 'living-allowance', period: '2025-02', amount: '5000.00', policy: '晋城市人才政策', grantedOn: '2025-03-01' }],
    });
    expect(imported.status).toBe(200);
    // Stored under the person key, which the answer does not show (not even to the admin).
    expect(imported.body.items[0].benefitKey).toBe('person:*:living-allowance:2025-02');
    expect(JSON.stringify(imported.body)).not.toContain(idNumber);

    const quote = await enterprise.post('/quotes', { programId: 'talent-living-allowance', details: { person, months: ['2025-02', '2025-03'] } });
    expect(quote.body).toMatchObject({ eligible: true, amount: '5000.00' });
    expect(quote.body.priorGrants).toHaveLength(1);
    expect(JSON.stringify(quote.body)).not.toContain(idNumber);
  });

  it('refuses a person on the 严重失信 list until the entry is lifted', async () => {
    const entry = { subjectType: 'person', subjectId: idNumber, listedOn: '2025-05-01', reason: '严重失信' };
    const listed = await admin.post('/credit/restrictions', { entries: [entry] });
    expect(listed.body.items).toEqual([{ subjectType: 'person', subject: '140502********1237', lifted: false }]);
    const refused = await enterprise.post('/quotes', { programId: 'talent-introduction', details: { person, tier: 'B', mode: 'full-time' } });
    expect(refused.body.reasons.map((r: { code: string }) => r.code)).toEqual(['CREDIT_RESTRICTED']);
    await admin.post('/credit/restrictions', { entries: [{ ...entry, lifted: true }] });
    const allowed = await enterprise.post('/quotes', { programId: 'talent-introduction', details: { person, tier: 'B', mode: 'full-time' } });
    expect(allowed.body).toMatchObject({ eligible: true, amount: '150000.00' });
  });

  it('takes a talent application to 人社局, masks the ID number, and records the grant under the person key', async () => {
    const reviewerPark = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    const reviewerRenshe = await stack.as({ sub: 'renshe-1', role: 'reviewer', dept: 'renshe' });
    const submitted = await enterprise.post(
      '/applications',
      { programId: 'talent-housing', details: { person, subsidy: { type: 'rent', months: ['2025-03', '2025-04'], monthlyRent: '1800.00' } } },
      { 'idempotency-key': 'housing-rent-0001' },
    );
    expect(submitted.status).toBe(201);
    expect(submitted.body.details.person).toEqual({
      idNumberMasked: '140502********1237',
      name: '张博士',
      degree: 'phd',
      hiredOn: '2025-01-10',
      contractYears: 5,
      socialInsuranceMonths: 8,
      fullTime: true,
    });

    for (const reviewer of [reviewerPark, reviewerRenshe]) {
      const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === submitted.body.id), 'a task');
      expect((await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' })).status).toBe(200);
    }
    // Granted: the ledger holds the rent from Grant on (公示 follows).
    await eventually(async () => ((await enterprise.get(`/applications/${submitted.body.id}`)).body.status === 'AWAITING_PUBLICITY' ? true : undefined), 'AWAITING_PUBLICITY');
    const events = JSON.stringify((await enterprise.get(`/applications/${submitted.body.id}/events`)).body);
    expect(events).not.toContain(idNumber);

    // Rent granted counts toward a purchase subsidy (第14条): 200,000 − 3,600.
    const purchase = await enterprise.post('/quotes', {
      programId: 'talent-housing',
      details: { person, subsidy: { type: 'purchase', purchaseContractDate: '2025-06-01', purchaseContractNo: 'H-9' } },
    });
    expect(purchase.body).toMatchObject({ eligible: true, amount: '196400.00' });
  });

  it('applies an administrator’s dated parameter from its date, and shows who set it', async () => {
    // A figure the text fixes cannot be changed; a [default] one only inside the text's range (§5.9).
    const fixed = await admin.request('PUT', '/parameters/m9.shanxi.third-prize', { from: '2025-01-01', value: '12000', reason: '市政府常务会议调整' });
    expect(fixed.status).toBe(400);
    expect(fixed.body.error.issues[0]).toMatchObject({ path: 'value', message: expect.stringContaining('不能修改') });
    const outside = await admin.request('PUT', '/parameters/m12.master-project.amount', { from: '2025-01-01', value: '250000', reason: 'x' });
    expect(outside.body.error.issues[0]).toMatchObject({ path: 'value', message: expect.stringContaining('不能低于 300000') });
    const aDate = await admin.request('PUT', '/parameters/m12.master-project.amount', { from: '2025-01-01', value: '2025-01-01', reason: 'x' });
    expect(aDate.body.error.issues[0]).toMatchObject({ path: 'value', message: expect.stringContaining('金额') });
    const set = await admin.request('PUT', '/parameters/m12.master-project.amount', { from: '2025-01-01', value: '350000', reason: '市政府常务会议调整' });
    expect(set.status).toBe(200);
    const quote = await enterprise.post('/quotes', { programId: 'entrepreneurship', details: { kind: 'high-degree-project', person: { ...person, degree: 'master' } } });
    expect(quote.body.amount).toBe('350000.00');
    const programs = (await enterprise.get('/programs')).body.items;
    const competition = programs.find((p: { programId: string }) => p.programId === 'entrepreneurship');
    expect(competition.parameters).toContainEqual(expect.objectContaining({ name: 'm12.master-project.amount', from: '2025-01-01', value: '350000', source: 'set by admin-1: 市政府常务会议调整', unit: '元' }));
    expect((await admin.request('PUT', '/parameters/no.such.parameter', { from: '2025-01-01', value: '1', reason: 'x' })).status).toBe(400);
    expect((await enterprise.request('PUT', '/parameters/m9.shanxi.third-prize', { from: '2025-01-01', value: '1', reason: 'x' })).status).toBe(403);
  });

  it('never wrote an ID number to the logs', () => {
    expect(stack.output().length).toBeGreaterThan(0);
    expect(stack.output()).not.toContain(idNumber);
  });
});
