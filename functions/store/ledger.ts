import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type GrantLevel, type PriorGrant, subjectOf } from '../domain/benefit-ledger.js';
import { formatYuan, sumYuan, yuan } from '../domain/money.js';
import { config } from '../config.js';
import { db } from './client.js';
import { GSI, keys, partitions } from './keys.js';
import { queryAll } from './pages.js';

/** What the ledger holds for an award: the grants under its keys, and each key's version. */
export interface LedgerView {
  grants: PriorGrant[];
  /** Per exact key read: the version of its total (0 when nothing was ever recorded under it). */
  versions: Map<string, number>;
}

function toGrant(item: Record<string, unknown>): PriorGrant {
  const { benefitKey, grantId, amount, policy, grantedOn, level, uscc } = item;
  return { benefitKey, grantId, amount, policy, grantedOn, ...(level ? { level } : {}), ...(uscc ? { uscc } : {}) } as PriorGrant;
}

/**
 * Reads exact keys (strongly consistent, with their versions) and key prefixes (from the grants-by-
 * subject index). The versions are what the reservation is conditioned on.
 */
export async function readLedger(reads: { keys: readonly string[]; prefixes?: readonly string[] }): Promise<LedgerView> {
  const versions = new Map<string, number>();
  const grants = new Map<string, PriorGrant>();
  await Promise.all([
    ...reads.keys.map(async (benefitKey) => {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partitions.benefit(benefitKey) },
          ConsistentRead: true,
        }),
      );
      const total = Items.find((item) => item.SK === keys.benefitTotal(benefitKey).SK);
      versions.set(benefitKey, total ? Number(total.version) : 0);
      for (const item of Items) if (String(item.SK).startsWith(keys.benefitGrantPrefix)) grants.set(`${benefitKey}#${item.grantId}`, toGrant(item));
    }),
    ...(reads.prefixes ?? []).map(async (prefix) => {
      const items = await queryAll({
        TableName: config.tableName,
        IndexName: GSI.byEnterprise,
        KeyConditionExpression: 'GSI1PK = :subject AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':subject': partitions.grantsOfSubject(subjectOf(prefix)), ':prefix': prefix },
      });
      for (const item of items) grants.set(`${item.benefitKey}#${item.grantId}`, toGrant(item));
    }),
  ]);
  return { grants: [...grants.values()], versions };
}

/** The grant item itself, indexed by subject so that all of a person's grants can be read at once. */
export function grantItem(grant: PriorGrant & { applicationId?: string; importedAt?: string }) {
  return {
    ...keys.benefitGrant(grant.benefitKey, grant.grantId),
    ...keys.grantIndex(subjectOf(grant.benefitKey), grant.benefitKey, grant.grantId),
    entity: 'Grant',
    ...grant,
  };
}

/** Moves a key's total forward by `amount` (0 only bumps its version), conditioned on the version read. */
export function totalUpdate(benefitKey: string, readVersion: number, newTotal: string) {
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.benefitTotal(benefitKey),
      UpdateExpression: 'SET #total = :total, #version = :next, entity = :entity',
      ConditionExpression: readVersion === 0 ? 'attribute_not_exists(PK)' : '#version = :read',
      ExpressionAttributeNames: { '#total': 'total', '#version': 'version' },
      ExpressionAttributeValues: {
        ':total': newTotal,
        ':next': readVersion + 1,
        ':entity': 'BenefitTotal',
        ...(readVersion === 0 ? {} : { ':read': readVersion }),
      },
    },
  };
}

export interface Reservation {
  benefitKey: string;
  grantId: string;
  amount: string;
  policy: string;
  grantedOn: string;
  level: GrantLevel;
  uscc: string;
  applicationId?: string;
}

/**
 * Transaction items that record grants and move each key's total forward, conditioned on the version
 * that was read; `touched` keys only have their version moved. If another grant landed on any of these
 * keys meanwhile, the transaction fails and the award is settled again, so two racing applications can
 * never both be paid in full.
 */
export function reservationWrites(reservations: readonly Reservation[], touched: readonly string[], view: LedgerView) {
  const versionOf = (key: string) => {
    const version = view.versions.get(key);
    if (version === undefined) throw new Error(`Benefit key ${key} was not read before reserving`);
    return version;
  };
  const totalOf = (key: string) => formatYuan(sumYuan(view.grants.filter((g) => g.benefitKey === key).map((g) => yuan(g.amount))));
  return [
    ...reservations.flatMap((reservation) => [
      { Put: { TableName: config.tableName, Item: grantItem(reservation), ConditionExpression: 'attribute_not_exists(PK)' } },
      totalUpdate(reservation.benefitKey, versionOf(reservation.benefitKey), formatYuan(yuan(totalOf(reservation.benefitKey)).plus(reservation.amount))),
    ]),
    ...touched.map((key) => totalUpdate(key, versionOf(key), totalOf(key))),
  ];
}

/**
 * Records a grant made outside this workflow (another policy, or before the system), once per grantId:
 * a second import of the same grantId changes nothing.
 */
export async function importGrant(grant: PriorGrant & { importedBy: string }): Promise<'imported' | 'already-imported'> {
  const { transact, ConflictError, retryOnConflict } = await import('./transactions.js');
  return retryOnConflict(async () => {
    const view = await readLedger({ keys: [grant.benefitKey] });
    const total = formatYuan(sumYuan([...view.grants.map((g) => yuan(g.amount)), yuan(grant.amount)]));
    try {
      await transact([
        {
          Put: {
            TableName: config.tableName,
            Item: { ...keys.importedGrant(grant.grantId), entity: 'ImportedGrant', benefitKey: grant.benefitKey, importedAt: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: config.tableName, Item: grantItem({ ...grant, importedAt: new Date().toISOString() }), ConditionExpression: 'attribute_not_exists(PK)' } },
        totalUpdate(grant.benefitKey, view.versions.get(grant.benefitKey) ?? 0, total),
      ]);
      return 'imported';
    } catch (error) {
      if (error instanceof ConflictError && error.failedAt(0)) return 'already-imported';
      throw error;
    }
  });
}
