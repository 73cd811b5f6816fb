/**
 * `npm run bench`: what an application costs on AWS, how fast the API answers, how much work one
 * machine does, and where one region stops scaling — measured on the local stack, printed as tables and
 * written to bench/results.json. A benchmark, never a test: nothing here fails CI.
 *
 *   npm run bench -- [--applications 200] [--latency-requests 32]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { signToken } from '../infra/local/jwt.js';
import { PROJECT_ROOT } from '../infra/local/paths.js';
import { startLocalStack } from '../infra/local/stack.js';
import { residentId, uscc } from '../test/support/fixtures.js';

const { values } = parseArgs({
  options: { applications: { type: 'string', default: '200' }, 'latency-requests': { type: 'string', default: '32' }, 'skip-export': { type: 'boolean', default: false } },
});
const N = Number(values.applications);
const LATENCY_REQUESTS = Number(values['latency-requests']);
const prices = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'bench', 'aws-prices.json'), 'utf8'));
const MEMORY_GB = 0.5; // every function is configured with 512 MB (infra/stack.ts)

// ---- instruments: what the AWS bill counts -------------------------------------------------------
const counters = { readUnits: 0, writeUnits: 0, dynamodbCalls: 0, s3Puts: 0, s3Gets: 0 };
const READS = /^(Get|Query|Scan|BatchGet|TransactGet)/;
// Every function's DynamoDB calls, metered by the local DynamoDB endpoint (the functions run in sandboxes).
const stack = await startLocalStack({
  keysDir: mkdtempSync(path.join(tmpdir(), 'jcg-bench-')),
  meterDynamoDb: (operation, units) => {
    counters.dynamodbCalls++;
    if (READS.test(operation)) counters.readUnits += units;
    else counters.writeUnits += units;
  },
});
const { s3 } = await import('../functions/services/exports.js');
s3.middlewareStack.add(
  (next, context) => async (args) => {
    if (/^Get/.test(context.commandName ?? '')) counters.s3Gets++;
    else counters.s3Puts++;
    return next(args);
  },
  { step: 'initialize', name: 'benchS3' },
);
function snapshot() {
  const invocations = [...stack.lambdas.invocations.values()].reduce((a, v) => ({ count: a.count + v.count, ms: a.ms + v.milliseconds }), { count: 0, ms: 0 });
  const api = [...stack.lambdas.invocations.entries()].filter(([entry]) => entry.startsWith('functions/api/')).reduce((sum, [, v]) => sum + v.count, 0);
  return { ...counters, transitions: stack.stepFunctions.transitions, invocations: invocations.count, lambdaMs: invocations.ms, apiRequests: api };
}

// ---- a small HTTP client -----------------------------------------------------------------------------
const token = (claims: Parameters<typeof signToken>[1]) => signToken(stack.keys, claims);
async function call(bearer: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.url + route, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}
async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const admin = await token({ sub: 'admin', role: 'admin' });
const enterprises = Array.from({ length: 10 }, (_, i) => uscc(300 + i));
for (const id of enterprises) {
  await call(admin, 'PUT', `/registry/${id}`, { name: `企业${id.slice(-4)}`, joinedOn: '2025-01-10', bankAccount: { name: '企业', bank: '中国银行晋城分行', number: '6216600000001234567' } });
}
const clerks = await Promise.all(enterprises.map((id) => token({ sub: `clerk-${id}`, role: 'enterprise', uscc: id })));
const reviewers: Record<string, string> = Object.fromEntries(await Promise.all(['park', 'kejiju', 'renshe', 'leadership'].map(async (dept) => [dept, await token({ sub: `${dept}-1`, role: 'reviewer', dept })])));
const finance = await token({ sub: 'finance-1', role: 'finance' });

const person = (i: number) => ({ idNumber: residentId(`1405021990${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(100 + (i % 900)).padStart(3, '0')}`), name: '人才', degree: 'master', hiredOn: '2025-01-10', contractYears: 5, socialInsuranceMonths: 8, fullTime: true });
const MIX = [
  (i: number) => ({ programId: 'platform-award', details: { platformId: `B-${i}`, platformName: `平台 B-${i}`, kind: 'municipal-tech-innovation-center', approvedOn: '2025-06-01' } }),
  () => ({ programId: 'startup-capital', details: { paidInCapital: '400000.00', selectedOn: '2025-03-01' } }),
  (i: number) => ({ programId: 'competition-award', details: { projectId: `P-${i}`, projectName: `项目 ${i}`, level: 'shanxi', rank: 2, awardedOn: '2025-06-01' } }),
  (i: number) => ({ programId: 'talent-living-allowance', details: { person: person(i), months: ['2025-03', '2025-04'] } }),
  (i: number) => ({ programId: 'tech-transaction', details: { year: 2025, contracts: [{ contractNo: `T-${i}`, registrationNo: `2025140500${i}`, mode: 'transfer', amount: '300000.00', counterparty: '大学', signedOn: '2025-03-01' }] } }),
];

// ---- 1. cost per application: a full run of N applications ------------------------------------------
/** Approves every open task of these applications until each has reached a final state. */
async function approveEverything(ids: Set<string>) {
  // The review ends when the award awaits 公示 (its period is days, not part of a run).
  const final = new Set(['AWAITING_PUBLICITY', 'APPROVED', 'INELIGIBLE', 'REJECTED']);
  for (;;) {
    for (const bearer of Object.values(reviewers)) {
      const tasks = (await call(bearer, 'GET', '/tasks?limit=100')).body.items as { taskId: string; applicationId: string }[];
      await pool(tasks.filter((t) => ids.has(t.applicationId)), 8, (t) => call(bearer, 'POST', `/tasks/${t.taskId}/decision`, { decision: 'approve' }));
    }
    let done = 0;
    let nextToken: string | undefined;
    do {
      const { body } = await call(finance, 'GET', `/applications?limit=100${nextToken ? `&nextToken=${nextToken}` : ''}`);
      done += (body.items as { id: string; status: string }[]).filter((a) => ids.has(a.id) && final.has(a.status)).length;
      nextToken = body.nextToken;
    } while (nextToken);
    if (done === ids.size) return;
  }
}

const before = snapshot();
const started = performance.now();
const submitted = new Set<string>();
await pool(Array.from({ length: N }, (_, i) => i), 16, async (i) => {
  const { body } = await call(clerks[i % clerks.length]!, 'POST', '/applications', MIX[i % MIX.length]!(i), { 'idempotency-key': `bench-${String(i).padStart(8, '0')}` });
  submitted.add(body.id);
});
await approveEverything(submitted);
const batch = (await call(finance, 'POST', '/batches', {})).body;
await call(finance, 'GET', `/batches/${batch.batchId}/export?format=csv`);
const items = (await call(finance, 'GET', `/batches/${batch.batchId}`)).body.items as { applicationId: string }[];
for (let i = 0; i < items.length; i += 500) {
  await call(finance, 'POST', `/batches/${batch.batchId}/payments`, { results: items.slice(i, i + 500).map((item) => ({ applicationId: item.applicationId, status: 'paid', reference: `BANK-${item.applicationId}` })) });
}
const seconds = (performance.now() - started) / 1000;
const after = snapshot();
const used = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, (v - (before as Record<string, number>)[k]!) / N])) as Record<keyof typeof after, number>;

const cost = (region: string) => {
  const p = prices.regions[region];
  const parts: Record<string, number | null> = {
    'Step Functions': p.stepFunctionsStandardPerTransition && used.transitions * p.stepFunctionsStandardPerTransition,
    Lambda: p.lambdaArmPerGbSecond && (used.lambdaMs / 1000) * MEMORY_GB * p.lambdaArmPerGbSecond + used.invocations * p.lambdaPerRequest,
    DynamoDB: p.dynamodbOnDemandPerWriteRequestUnit && used.writeUnits * p.dynamodbOnDemandPerWriteRequestUnit + used.readUnits * p.dynamodbOnDemandPerReadRequestUnit,
    S3: p.s3PutPerRequest && used.s3Puts * p.s3PutPerRequest + used.s3Gets * p.s3GetPerRequest,
    'API Gateway': p.httpApiPerRequest && used.apiRequests * p.httpApiPerRequest,
  };
  return { currency: p.currency, parts };
};
// The floor: one transition per persisted fact and per stage (assess, two stages, grant), and one
// write per persisted fact (application, idempotency key, assessment, two tasks, two decisions, the
// grant on the application and on the ledger, batch item, batched, paid).
const FLOOR = { transitions: 4, writeUnits: 12 };

console.log(`\n1. One application on AWS (measured over ${N} applications end to end: submit, 2–3 review stages, grant, batch, export, paid)\n`);
console.table({
  'state transitions': { measured: +used.transitions.toFixed(1), floor: FLOOR.transitions, ratio: +(used.transitions / FLOOR.transitions).toFixed(2) },
  'Lambda invocations': { measured: +used.invocations.toFixed(1) },
  'Lambda GB-seconds': { measured: +((used.lambdaMs / 1000) * MEMORY_GB).toFixed(3) },
  'DynamoDB write units': { measured: +used.writeUnits.toFixed(1), floor: FLOOR.writeUnits, ratio: +(used.writeUnits / FLOOR.writeUnits).toFixed(2) },
  'DynamoDB read units': { measured: +used.readUnits.toFixed(1) },
  'S3 requests': { measured: +(used.s3Puts + used.s3Gets).toFixed(2) },
  'API requests': { measured: +used.apiRequests.toFixed(1) },
});
const costs: Record<string, unknown> = {};
for (const region of Object.keys(prices.regions)) {
  const { currency, parts } = cost(region);
  const known = Object.values(parts).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (known.length === 0) {
    console.log(`${region}: prices not known here (see bench/aws-prices.json)`);
    continue;
  }
  const total = known.reduce((a, b) => a + b, 0);
  console.log(`${region}: ${(total * 10_000).toFixed(2)} ${currency} per 10,000 applications`);
  console.table(Object.fromEntries(Object.entries(parts).map(([service, v]) => [service, { [`${currency} per 10,000`]: v === null ? 'n/a' : +(v * 10_000).toFixed(3), share: v === null ? 'n/a' : `${((v / total) * 100).toFixed(1)}%` }])));
  costs[region] = { currency, per10000: total * 10_000, parts };
}
console.log(`Throughput end to end on this machine: ${((N / seconds) * 60).toFixed(0)} applications per minute (${seconds.toFixed(1)} s for ${N})`);

// ---- 2. latency under concurrency ------------------------------------------------------------------
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
async function measure(concurrency: number, count: number, request: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  await pool(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const t = performance.now();
    await request(i);
    times.push(performance.now() - t);
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}
const raw = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'local', credentials: stack.credentials.admin }));
let key = 0;
const latency: Record<string, Record<number, { p50: number; p95: number; p99: number }>> = {};
for (const concurrency of [1, 16, 64]) {
  const count = LATENCY_REQUESTS * Math.max(1, concurrency / 4);
  const floorPut = await measure(concurrency, count, (i) => raw.send(new PutCommand({ TableName: process.env.TABLE_NAME!, Item: { PK: `BENCH#${concurrency}#${i}`, SK: 'X' } })));
  const floorQuery = await measure(concurrency, count, () => raw.send(new QueryCommand({ TableName: process.env.TABLE_NAME!, KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': 'BENCH#1#0' } })));
  const results: Record<string, { p50: number; p95: number; p99: number }> = {
    'DynamoDB Local PutItem (floor)': floorPut,
    'DynamoDB Local Query (floor)': floorQuery,
    'POST /applications': await measure(concurrency, count, (i) => call(clerks[i % clerks.length]!, 'POST', '/applications', MIX[0]!(100_000 + key), { 'idempotency-key': `lat-${String(++key).padStart(8, '0')}` })),
    'POST /quotes': await measure(concurrency, count, (i) => call(clerks[i % clerks.length]!, 'POST', '/quotes', MIX[i % MIX.length]!(i))),
    'GET /tasks': await measure(concurrency, count, () => call(reviewers.park!, 'GET', '/tasks?limit=20')),
  };
  // The applications just submitted opened park tasks: decide as many as the level needs.
  const open = (await call(reviewers.park!, 'GET', `/tasks?limit=100`)).body.items as { taskId: string }[];
  results['POST /tasks/{id}/decision'] = await measure(concurrency, Math.min(count, open.length), (i) => call(reviewers.park!, 'POST', `/tasks/${open[i]!.taskId}/decision`, { decision: 'approve' }));
  for (const [name, r] of Object.entries(results)) (latency[name] ??= {})[concurrency] = r;
}
console.log('\n2. Latency (ms) at concurrency 1 / 16 / 64, and as a multiple of the DynamoDB Local PutItem floor at the same concurrency\n');
console.table(
  Object.fromEntries(
    Object.entries(latency).map(([name, byLevel]) => [
      name,
      Object.fromEntries(
        [1, 16, 64].flatMap((c) => {
          const r = byLevel[c];
          const floor = latency['DynamoDB Local PutItem (floor)']![c]!.p50;
          return r ? [[`c=${c} p50/p95/p99`, `${r.p50.toFixed(1)}/${r.p95.toFixed(1)}/${r.p99.toFixed(1)}`], [`c=${c} p50 ÷ floor`, +(r.p50 / floor).toFixed(1)]] : [];
        }),
      ),
    ]),
  ),
);

// ---- 3. throughput of the policy engine ------------------------------------------------------------
const { assess } = await import('../functions/domain/assessment.js');
const { protectDetails } = await import('../functions/domain/personal-data.js');
const { ProgramApplication } = await import('../schemas/programs.js');
const throughput: Record<string, { quotesPerSecond: number; zodParsesPerSecond: number }> = {};
for (const make of MIX) {
  const sample = make(1);
  const perSecond = (work: () => void) => {
    let n = 0;
    const end = performance.now() + 500;
    while (performance.now() < end) {
      work();
      n++;
    }
    return n * 2;
  };
  const zod = perSecond(() => ProgramApplication.parse(sample));
  const quotes = perSecond(() => {
    const parsed = ProgramApplication.parse(sample);
    assess({ programId: parsed.programId, details: protectDetails(parsed.details, 'k'), uscc: enterprises[0]!, submittedOn: '2025-12-01' }, { roster: { joinedOn: '2025-01-01' }, creditRestricted: [], priorGrants: [] });
  });
  throughput[sample.programId] = { quotesPerSecond: quotes, zodParsesPerSecond: zod };
}
console.log('\n3. Policy engine in process (one core): quotes per second (parse + assess) beside zod parsing alone\n');
console.table(throughput);

// ---- 4. scale on paper -------------------------------------------------------------------------------
const q = prices.quotas;
const decisionsPerApplication = 2.2; // two stages, and leadership for some
const limits = {
  StartExecution: q.stepFunctionsStartExecutionPerSecond / 1,
  SendTaskSuccess: q.stepFunctionsSendTaskSuccessPerSecond / decisionsPerApplication,
  'state transitions': q.stepFunctionsStateTransitionsPerSecond / used.transitions,
  // Every application is in GSI3's one partition (APPLICATIONS). Its index entry (keys, status,
  // programId, stage: under 1 KB) is written when it is created and each time its status or stage
  // changes: about 8 times on the way from SUBMITTED to PAID.
  'GSI3 single partition (all applications)': q.dynamodbWriteUnitsPerPartitionPerSecond / 8,
  'API requests': q.httpApiRequestsPerSecond / used.apiRequests,
};
const binding = Object.entries(limits).sort(([, a], [, b]) => a - b)[0]!;
console.log('\n4. Sustained applications per second one region could take (default quotas)\n');
console.table(Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, { 'applications/s': +v.toFixed(0) }])));
console.log(`Binds first: ${binding[0]} at about ${binding[1].toFixed(0)} applications per second.`);
console.log(
  'Hot keys: (1) GSI3 "APPLICATIONS" takes every status change of every application — shard it (e.g. APPLICATIONS#<month>#<0..9>, listing merges the shards); ' +
    '(2) one benefit key (a popular platform or an enterprise-year cap) serialises its grants through the version on its TOTAL item — ' +
    'correct by design, and a few grants per second per key is far above real demand; (3) one enterprise\'s GSI1 partition ' +
    'limits that enterprise to about 1,000 writes per second.',
);

// ---- 5. a supporting document: upload to CLEAN ----------------------------------------------------------
// A 10 MiB PDF: presigned POST to the local S3, the object-created event, type/size/SHA-256, clamd's scan.
const { pdf, sha256 } = await import('../test/support/documents.js');
const documentBytes = pdf('bench', 10 * 1024 * 1024);
const uploadToClean: number[] = [];
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  const created = await call(clerks[0]!, 'POST', '/documents', { docType: 'business-licence', fileName: 'bench.pdf', contentType: 'application/pdf', size: documentBytes.length, sha256: sha256(documentBytes) });
  const form = new FormData();
  for (const [name, value] of Object.entries(created.body.upload.fields as Record<string, string>)) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(documentBytes)]), 'file');
  await fetch(created.body.upload.url, { method: 'POST', body: form });
  for (;;) {
    const { body } = await call(clerks[0]!, 'GET', `/documents/${created.body.documentId}`);
    if (body.status === 'CLEAN') break;
    if (body.status === 'REJECTED') throw new Error(`bench document rejected: ${body.reason}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  uploadToClean.push(performance.now() - started);
}
const documentUploadToCleanMs = { runs: uploadToClean.map((ms) => Math.round(ms)), median: Math.round([...uploadToClean].sort((a, b) => a - b)[1]!) };
console.log('\n5. A 10 MiB PDF from POST /documents to CLEAN (ms), three runs\n');
console.table(documentUploadToCleanMs);

await stack.stop();
const resultsFile = path.join(PROJECT_ROOT, 'bench', 'results.json');
let previous: Record<string, unknown> = {};
try {
  previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // first run
}
writeFileSync(
  resultsFile,
  `${JSON.stringify({ ...previous, measuredAt: new Date().toISOString(), applications: N, perApplication: used, floor: FLOOR, costs, latency, throughput, documentUploadToCleanMs, applicationsPerMinute: (N / seconds) * 60, scale: { limits, binding: binding[0] } }, null, 2)}\n`,
);
// 6. Export of payment files (its own run: it seeds 110,000 batch items).
if (!values['skip-export']) execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(PROJECT_ROOT, 'bench', 'export.ts')], { stdio: 'inherit' });
process.exit(0);
