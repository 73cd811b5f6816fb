/**
 * Export benchmark: payment files for batches of 10,000 and 100,000 items, CSV and XLSX, on the local
 * stack (DynamoDB Local + s3rver). Reports time, peak RSS above the baseline, and the 100k/10k ratios:
 * time should grow linearly and memory stay flat (the export streams). A benchmark, never a test.
 *
 *   npm run bench -- [--sizes 10000,100000]
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { startLocalStack } from '../infra/local/stack.js';
import { PROJECT_ROOT } from '../infra/local/paths.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000' } } });
const sizes = values.sizes!.split(',').map(Number);

const stack = await startLocalStack({ keysDir: mkdtempSync(path.join(tmpdir(), 'jcg-bench-')) });
const { writeExport } = await import('../functions/services/exports.js');
const { batchItems, getBatch } = await import('../functions/store/batches.js');
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = process.env.TABLE_NAME!;

async function seedBatch(count: number): Promise<string> {
  const batchId = ulid();
  const items = Array.from({ length: count }, (_, i) => ({
    PK: `BATCH#${batchId}`,
    SK: `ITEM#${String(i).padStart(8, '0')}`,
    entity: 'BatchItem',
    batchId,
    applicationId: `APP${String(i).padStart(23, '0')}`,
    uscc: '91140500MA0K00001U',
    programId: 'talent-living-allowance',
    measure: '晋市政办〔2024〕39号 第13条',
    amount: `${1000 + (i % 4000)}.${String(i % 100).padStart(2, '0')}`,
    payee: { name: `晋城第${i % 500}科技有限公司`, bank: '中国银行晋城分行', number: '6216600000001234567' },
  }));
  const chunks = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  for (let i = 0; i < chunks.length; i += 16) {
    await Promise.all(chunks.slice(i, i + 16).map((chunk) => db.send(new BatchWriteCommand({ RequestItems: { [table]: chunk.map((Item) => ({ PutRequest: { Item } })) } }))));
  }
  await db.send(new PutCommand({ TableName: table, Item: { PK: `BATCH#${batchId}`, SK: 'BATCH', batchId, status: 'OPEN', count, total: '0.00', byProgram: [], createdAt: new Date().toISOString(), createdBy: 'bench', version: 2, exports: {} } }));
  return batchId;
}

interface Result {
  items: number;
  format: 'csv' | 'xlsx';
  seconds: number;
  peakRssMiB: number;
  fileMiB: number;
}

const results: Result[] = [];
for (const count of sizes) {
  const batchId = await seedBatch(count);
  const batch = (await getBatch(batchId))!;
  for (const format of ['csv', 'xlsx'] as const) {
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const started = performance.now();
    const file = await writeExport(batch, format, batchItems(batchId));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    results.push({ items: count, format, seconds: Number(seconds.toFixed(2)), peakRssMiB: Number(((peak - baseline) / 2 ** 20).toFixed(1)), fileMiB: Number((file.bytes / 2 ** 20).toFixed(1)) });
  }
}
await stack.stop();

console.log('\nPayment file export (local stack: DynamoDB Local → stream → s3rver)\n');
console.table(results.map((r) => ({ items: r.items, format: r.format, 'time (s)': r.seconds, 'peak RSS above baseline (MiB)': r.peakRssMiB, 'file (MiB)': r.fileMiB })));
if (sizes.length === 2) {
  for (const format of ['csv', 'xlsx'] as const) {
    const [small, large] = sizes.map((size) => results.find((r) => r.items === size && r.format === format)!);
    console.log(`${format}: ${large!.items / small!.items}× the items took ${(large!.seconds / small!.seconds).toFixed(1)}× the time and ${(large!.fileMiB / small!.fileMiB).toFixed(1)}× the bytes; peak memory ${small!.peakRssMiB} → ${large!.peakRssMiB} MiB`);
  }
}

const resultsFile = path.join(PROJECT_ROOT, 'bench', 'results.json');
mkdirSync(path.dirname(resultsFile), { recursive: true });
let previous: Record<string, unknown> = {};
try {
  previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // first run
}
writeFileSync(resultsFile, `${JSON.stringify({ ...previous, export: { measuredAt: new Date().toISOString(), node: process.version, results } }, null, 2)}\n`);
process.exit(0);
