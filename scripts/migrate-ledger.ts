import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GRANT_LEVELS, type GrantLevel } from '../functions/domain/benefit-ledger.js';
import { parseMapping } from '../functions/domain/ledger-migration.js';
import { requireNodeMajor } from '../infra/runtime.js';

/**
 * `npm run migrate -- --table <name> [--mapping keys.csv] [--level 政策名=provincial …] [--dry-run]`
 *
 * Moves the stored 就高不重复 ledger to the second round's keys and sets `level` on grants recorded
 * before levels existed (POLICY.md §5.1, §5.10; docs/policy.md, "Migrating the ledger"). The table's
 * region and endpoint come from the usual AWS environment (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB).
 * Prints a JSON report; exits 3 when some keys could not be resolved (they are left as they were).
 */
requireNodeMajor();
const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    mapping: { type: 'string' },
    level: { type: 'string', multiple: true, default: [] },
    'dry-run': { type: 'boolean', default: false },
  },
});
if (values.table) process.env.TABLE_NAME = values.table;
if (!process.env.TABLE_NAME) {
  process.stderr.write('usage: npm run migrate -- --table <table> [--mapping keys.csv] [--level <policy>=<national|provincial|municipal|county>] [--dry-run]\n');
  process.exit(2);
}
const levelByPolicy: Record<string, GrantLevel> = {};
for (const entry of values.level) {
  const at = entry.lastIndexOf('=');
  const level = entry.slice(at + 1) as GrantLevel;
  if (at <= 0 || !GRANT_LEVELS.includes(level)) {
    process.stderr.write(`--level ${entry}: expected <policy>=<${GRANT_LEVELS.join('|')}>\n`);
    process.exit(2);
  }
  levelByPolicy[entry.slice(0, at)] = level;
}
const { migrateLedger } = await import('../functions/store/ledger-migration.js');
const report = await migrateLedger({
  ...(values.mapping ? { mapping: parseMapping(readFileSync(values.mapping, 'utf8')) } : {}),
  levelByPolicy,
  dryRun: values['dry-run'],
});
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exit(report.unresolved.length > 0 ? 3 : 0);
