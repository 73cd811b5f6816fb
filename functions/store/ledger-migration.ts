import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GrantLevel, PriorGrant } from '../domain/benefit-ledger.js';
import type { ApplicationStatus } from '../domain/vocabulary.js';
import { type KeyMapping, defaultLevel, migrateKey } from '../domain/ledger-migration.js';
import { formatYuan, sumYuan, yuan } from '../domain/money.js';
import { config } from '../config.js';
import { type ApplicationRecord, applicationUpdate, getApplication } from './applications.js';
import { db } from './client.js';
import { keys } from './keys.js';
import { grantItem, readLedger, totalUpdate } from './ledger.js';
import { retryOnConflict, transact } from './transactions.js';

export interface MigrationReport {
  grants: number;
  moved: { grantId: string; from: string; to: string; how: string }[];
  levelsSet: number;
  unresolved: { grantId?: string; applicationId?: string; key: string; why: string }[];
  applicationsRewritten: string[];
  dryRun: boolean;
}

const FINAL = new Set<string>(['INELIGIBLE', 'REJECTED', 'WITHDRAWN', 'AWAITING_PUBLICITY', 'PUBLICIZING', 'APPROVED', 'BATCHED', 'PAID', 'PAYMENT_FAILED'] satisfies ApplicationStatus[]);

async function* scan(filter: string, values: Record<string, unknown>) {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: config.tableName, FilterExpression: filter, ExpressionAttributeValues: values, ConsistentRead: true, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }),
    );
    yield* page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/**
 * Rewrites the stored ledger to the second round's keys and levels (run once by the operator, ideally
 * with submissions paused; every write is conditional, so running it again changes nothing):
 * each grant under an old key moves to its new key with its level set; the totals of every key touched
 * are recomputed; the recorded claims of applications still under way are rewritten the same way, so
 * that their Grant reserves the new keys.
 */
export async function migrateLedger(options: { mapping?: KeyMapping; levelByPolicy?: Record<string, GrantLevel>; dryRun?: boolean }): Promise<MigrationReport> {
  const report: MigrationReport = { grants: 0, moved: [], levelsSet: 0, unresolved: [], applicationsRewritten: [], dryRun: options.dryRun ?? false };
  const touched = new Set<string>();
  const applications = new Map<string, ApplicationRecord | undefined>();
  const applicationOf = async (id: unknown) => {
    if (typeof id !== 'string') return undefined;
    if (!applications.has(id)) applications.set(id, await getApplication(id));
    return applications.get(id);
  };

  for await (const item of scan('entity = :grant', { ':grant': 'Grant' })) {
    report.grants++;
    const { PK, SK, GSI1PK, GSI1SK, entity, ...grant } = item as Record<string, unknown> & PriorGrant & { applicationId?: string };
    const application = await applicationOf(grant.applicationId);
    const outcome = migrateKey(grant.benefitKey, { ...(application ? { uscc: application.uscc, details: application.details } : {}) }, options.mapping);
    const level = defaultLevel(grant, options.levelByPolicy);
    const uscc = grant.uscc ?? application?.uscc;
    if (outcome.status === 'unresolved') {
      report.unresolved.push({ grantId: grant.grantId, key: outcome.from, why: outcome.why });
      continue;
    }
    if (outcome.status === 'unchanged') {
      if (grant.level) continue;
      report.levelsSet++;
      if (!options.dryRun) {
        await db.send(
          new UpdateCommand({
            TableName: config.tableName,
            Key: { PK, SK },
            UpdateExpression: uscc ? 'SET #level = :level, uscc = :uscc' : 'SET #level = :level',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#level)',
            ExpressionAttributeNames: { '#level': 'level' },
            ExpressionAttributeValues: { ':level': level, ...(uscc ? { ':uscc': uscc } : {}) },
          }),
        );
      }
      continue;
    }
    report.moved.push({ grantId: grant.grantId, from: outcome.from, to: outcome.key, how: outcome.how });
    if (!grant.level) report.levelsSet++;
    touched.add(outcome.from).add(outcome.key);
    if (options.dryRun) continue;
    await transact([
      { Put: { TableName: config.tableName, Item: grantItem({ ...grant, benefitKey: outcome.key, level, ...(uscc ? { uscc } : {}) }), ConditionExpression: 'attribute_not_exists(PK)' } },
      { Delete: { TableName: config.tableName, Key: { PK, SK }, ConditionExpression: 'attribute_exists(PK)' } },
      ...(grant.applicationId
        ? []
        : [
            {
              Update: {
                TableName: config.tableName,
                Key: keys.importedGrant(grant.grantId),
                UpdateExpression: 'SET benefitKey = :key',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':key': outcome.key },
              },
            },
          ]),
    ]);
  }

  // Each key's total is the sum of its grants again, moved forward in version like any reservation.
  if (!options.dryRun) {
    for (const key of touched) {
      await retryOnConflict(async () => {
        const view = await readLedger({ keys: [key] });
        const total = formatYuan(sumYuan(view.grants.map((g) => yuan(g.amount))));
        await transact([totalUpdate(key, view.versions.get(key) ?? 0, total)]);
      });
    }
  }

  for await (const item of scan('entity = :application AND attribute_exists(assessment)', { ':application': 'Application' })) {
    const application = (await getApplication(String(item.id)))!;
    if (FINAL.has(application.status) || !application.assessment) continue;
    const origin = { uscc: application.uscc, details: application.details };
    const move = (key: string) => {
      const outcome = migrateKey(key, origin, options.mapping);
      if (outcome.status === 'unresolved') {
        report.unresolved.push({ applicationId: application.id, key, why: outcome.why });
        return key;
      }
      return outcome.key;
    };
    // Prefixes (`person:<k>:housing-rent:`) end in ':' — only their subject part can move.
    const movePrefix = (prefix: string) => `${move(prefix.slice(0, -1))}:`;
    const claims = application.assessment.claims.map((claim) => ({
      ...claim,
      benefitKey: move(claim.benefitKey),
      ...(claim.blockedBy ? { blockedBy: claim.blockedBy.map(move) } : {}),
      ...(claim.alsoCounts ? { alsoCounts: claim.alsoCounts.map(movePrefix) } : {}),
    }));
    const groupCap = application.assessment.groupCap ? { ...application.assessment.groupCap, benefitKey: move(application.assessment.groupCap.benefitKey) } : undefined;
    if (JSON.stringify(claims) === JSON.stringify(application.assessment.claims) && JSON.stringify(groupCap) === JSON.stringify(application.assessment.groupCap)) continue;
    report.applicationsRewritten.push(application.id);
    if (options.dryRun) continue;
    await transact([applicationUpdate(application, { assessment: { ...application.assessment, claims, ...(groupCap ? { groupCap } : {}) } })]);
  }
  return report;
}

