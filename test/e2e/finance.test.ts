import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan, sumYuan, yuan } from '../../functions/domain/money.js';
import { platformAward, registryEntry, uscc } from '../support/fixtures.js';
import { type ApiClient, LocalStackProcess, eventually } from '../support/local-stack.js';
import { PUBLICITY_ENV, throughPublicity } from '../support/publicity.js';

/** Finance: approved awards into batches, payment files, bank results, budgets — over HTTP. */
describe('disbursement batches', () => {
  const stack = new LocalStackProcess({ inMemory: true, env: PUBLICITY_ENV });
  const enterprises = [uscc(81), uscc(82)];
  let clerks: ApiClient[];
  let park: ApiClient;
  let kejiju: ApiClient;
  let finance: ApiClient;
  let admin: ApiClient;
  let n = 0;

  beforeAll(async () => {
    await stack.start();
    admin = await stack.as({ sub: 'admin-1', role: 'admin' });
    for (const [i, id] of enterprises.entries()) await admin.put(`/registry/${id}`, registryEntry(`晋城第${i + 1}科技有限公司, "测试"`));
    clerks = await Promise.all(enterprises.map((id, i) => stack.as({ sub: `clerk-${i}`, role: 'enterprise', uscc: id })));
    park = await stack.as({ sub: 'park-1', role: 'reviewer', dept: 'park' });
    kejiju = await stack.as({ sub: 'kejiju-1', role: 'reviewer', dept: 'kejiju' });
    finance = await stack.as({ sub: 'finance-1', role: 'finance' });
  });
  afterAll(() => stack.stop());

  /** Submits an application, approves it at both stages and through 公示; resolves when it is APPROVED. */
  async function approved(clerk: ApiClient, body: object): Promise<string> {
    const { body: app } = await clerk.post('/applications', body, { 'idempotency-key': `finance-${String(++n).padStart(6, '0')}` });
    for (const reviewer of [park, kejiju]) {
      const task = await eventually(async () => (await reviewer.get('/tasks')).body.items.find((t: { applicationId: string }) => t.applicationId === app.id), 'a task');
      await reviewer.post(`/tasks/${task.taskId}/decision`, { decision: 'approve' });
    }
    await throughPublicity(kejiju, clerk, [app.id]);
    return app.id;
  }

  it('batches approved awards of mixed programs; CSV and XLSX add up to the total to the fen', async () => {
    expect((await finance.post('/batches', {})).status).toBe(409);
    const ids = [
      await approved(clerks[0]!, platformAward('F-1', 'municipal-tech-innovation-center')),
      await approved(clerks[0]!, { programId: 'startup-capital', details: { paidInCapital: '123456.79', selectedOn: '2025-03-01' } }),
      await approved(clerks[1]!, { programId: 'competition-award', details: { projectId: 'F-P', projectName: '项目', level: 'shanxi', rank: 3, awardedOn: '2025-06-01' } }),
    ];
    const created = await finance.post('/batches', {});
    expect(created.status).toBe(201);
    const batch = created.body;
    expect(batch).toMatchObject({ status: 'OPEN', count: 3, total: '171728.40' });
    expect(batch.byProgram).toEqual([
      { programId: 'competition-award', count: 1, total: '10000.00' },
      { programId: 'platform-award', count: 1, total: '100000.00' },
      { programId: 'startup-capital', count: 1, total: '61728.40' },
    ]);
    expect(batch.items.map((i: { applicationId: string }) => i.applicationId).sort()).toEqual([...ids].sort());
    expect(batch.items[0].payee.number).toBe('6216600000001234567');
    for (const id of ids) expect((await clerks[0]!.get(`/applications/${id}`)).body.status ?? 'hidden').not.toBe('APPROVED');

    const csvResponse = await fetch(`${stack.url}/batches/${batch.batchId}/export?format=csv`, { headers: { authorization: `Bearer ${finance.token}` } });
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toContain('text/csv');
    const csvBytes = Buffer.from(await csvResponse.arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvBytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('批次号(batchId),申请编号(applicationId),统一社会信用代码(uscc),收款人(payeeName),开户行(payeeBank),账号(payeeAccount),项目代码(programId),项目名称(programTitle),政策依据(measure),金额（元）(amount)');
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).toContain('"晋城第1科技有限公司, ""测试"""');
    const csvAmounts = lines.slice(1).map((line) => line.split(',').at(-1)!);
    expect(formatYuan(sumYuan(csvAmounts.map((a) => yuan(a))))).toBe(batch.total);
    const { createHash } = await import('node:crypto');
    expect(csvResponse.headers.get('x-content-sha256')).toBe(createHash('sha256').update(csvBytes).digest('hex'));

    const xlsxResponse = await fetch(`${stack.url}/batches/${batch.batchId}/export?format=xlsx`, { headers: { authorization: `Bearer ${finance.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsxResponse.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(workbook.worksheets).toHaveLength(1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const amounts: string[] = [];
    sheet.eachRow((row, i) => {
      if (i === 1 || i === sheet.rowCount) return;
      const cell = row.getCell(10).value;
      expect(typeof cell).toBe('number');
      amounts.push(formatYuan(yuan(cell as number)));
    });
    expect(formatYuan(sumYuan(amounts.map((a) => yuan(a))))).toBe(batch.total);
    const totalCell = sheet.getRow(sheet.rowCount).getCell(10).value as { result: number };
    expect(formatYuan(yuan(totalCell.result))).toBe(batch.total);

    const exported = (await finance.get(`/batches/${batch.batchId}`)).body;
    expect(exported.status).toBe('EXPORTED');
    expect(exported.exports.csv.sha256).toBe(csvResponse.headers.get('x-content-sha256'));
  });

  it('records bank results once; a failed payment returns to the pool for the next batch; the batch settles', async () => {
    const list = (await finance.get('/batches')).body.items;
    const batchId = list[0].batchId;
    const { items } = (await finance.get(`/batches/${batchId}`)).body;
    const [first, second, third] = items as { applicationId: string }[];

    const outsider = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const wrong = await finance.post(`/batches/${batchId}/payments`, { results: [{ applicationId: outsider, status: 'paid', reference: 'X' }] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.issues[0].path).toBe('results.0.applicationId');

    const results = [
      { applicationId: first!.applicationId, status: 'paid', reference: 'BANK-0001' },
      { applicationId: second!.applicationId, status: 'failed', reason: '账户冻结' },
    ];
    expect((await finance.post(`/batches/${batchId}/payments`, { results })).status).toBe(200);
    const again = await finance.post(`/batches/${batchId}/payments`, { results });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('EXPORTED');
    expect((await finance.post(`/batches/${batchId}/payments`, { results: [{ ...results[0], reference: 'BANK-9999' }] })).status).toBe(409);

    const owner = async (id: string) => {
      for (const clerk of clerks) {
        const { status, body } = await clerk.get(`/applications/${id}`);
        if (status === 200) return body;
      }
      throw new Error('no owner');
    };
    expect(await owner(first!.applicationId)).toMatchObject({ status: 'PAID' });
    expect(await owner(second!.applicationId)).toMatchObject({ status: 'PAYMENT_FAILED' });

    const settled = await finance.post(`/batches/${batchId}/payments`, { results: [{ applicationId: third!.applicationId, status: 'paid', reference: 'BANK-0003' }] });
    expect(settled.body.status).toBe('SETTLED');

    const next = await finance.post('/batches', {});
    expect(next.status).toBe(201);
    expect(next.body.items.map((i: { applicationId: string }) => i.applicationId)).toEqual([second!.applicationId]);
    expect((await owner(second!.applicationId)).status).toBe('BATCHED');
    const events = (await clerks[0]!.get(`/applications/${second!.applicationId}/events`)).body.items.map((e: { type: string }) => e.type);
    expect(events.slice(-3)).toEqual(['BATCHED', 'PAYMENT_FAILED', 'BATCHED']);
  });

  it('puts every approved application in exactly one batch when officers create batches at once', async () => {
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await approved(clerks[i % 2]!, platformAward(`F-CC${i}`, 'municipal-tech-innovation-center')));
    const officers = await Promise.all([1, 2, 3, 4, 5].map((i) => stack.as({ sub: `finance-${i}`, role: 'finance' })));
    const answers = await Promise.all(officers.map((officer) => officer.post('/batches', { programIds: ['platform-award'] })));
    const batches = answers.filter((a) => a.status === 201).map((a) => a.body);
    expect(answers.every((a) => a.status === 201 || a.status === 409)).toBe(true);
    const batched = batches.flatMap((b) => b.items.map((i: { applicationId: string }) => i.applicationId));
    expect(batched.sort()).toEqual([...ids].sort());
    for (const b of batches) expect(b.total).toBe(formatYuan(sumYuan(b.items.map((i: { amount: string }) => yuan(i.amount)))));
  });

  it('refuses to exceed a program’s annual budget unless told why, and records the override', async () => {
    await admin.request('PUT', '/parameters/budget.competition-award', { from: '2026-01-01', value: '15000', reason: '2026年度预算' });
    await approved(clerks[1]!, { programId: 'competition-award', details: { projectId: 'F-B', projectName: '项目二', level: 'shanxi', rank: 3, awardedOn: '2025-06-01' } });
    const refused = await finance.post('/batches', { programIds: ['competition-award'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.issues[0]).toMatchObject({ path: 'budget.competition-award' });
    expect(refused.body.error.issues[0].message).toContain('20000.00');
    expect((await finance.post('/batches', { programIds: ['competition-award'], allowOverBudget: true })).status).toBe(400);
    const allowed = await finance.post('/batches', { programIds: ['competition-award'], allowOverBudget: true, reason: '追加预算已批复' });
    expect(allowed.status).toBe(201);
    expect(allowed.body.overBudget).toEqual({ reason: '追加预算已批复', excess: [{ programId: 'competition-award', budget: '15000', wouldUse: '20000.00' }] });
    const programs = (await finance.get('/programs')).body.items;
    const competition = programs.find((p: { programId: string }) => p.programId === 'competition-award');
    expect(competition.budget).toMatchObject({ budget: '15000', batched: '10000.00', paid: '10000.00', remaining: '-5000.00' });
    const platform = programs.find((p: { programId: string }) => p.programId === 'platform-award');
    // committed = approved + batched + paid: the four batched at once above, and the one paid.
    expect(platform.budget).toMatchObject({ approved: '0.00', batched: '400000.00', paid: '100000.00', committed: '500000.00' });
    expect(platform.budget.budget).toBeUndefined();
    expect((await clerks[0]!.get('/programs')).body.items[0].budget).toBeUndefined();
  });

  it('is for finance only', async () => {
    for (const client of [clerks[0]!, park]) {
      expect((await client.post('/batches', {})).status).toBe(403);
      expect((await client.get('/batches')).status).toBe(403);
    }
    expect((await admin.get('/batches')).status).toBe(200);
    expect((await admin.post('/batches', {})).status).toBe(403);
  });
});
