import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PriorGrant } from '../domain/benefit-ledger.js';
import { formatYuan, sumYuan, yuan } from '../domain/money.js';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';

/** What a benefit key holds: its grants, and the version of its total (the reservation's condition). */
export interface BenefitKeyState {
  benefitKey: string;
  grants: PriorGrant[];
  /** 0 when nothing was ever granted under the key. */
  version: number;
}

export async function readBenefitKeys(benefitKeys: readonly string[]): Promise<BenefitKeyState[]> {
  return Promise.all(
    benefitKeys.map(async (benefitKey) => {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.benefit(benefitKey) },
          ConsistentRead: true,
        }),
      );
      const total = Items.find((item) => item.SK === 'TOTAL');
      const grants = Items.filter((item) => String(item.SK).startsWith('GRANT#')).map(
        ({ grantId, amount, policy, grantedOn }) => ({ benefitKey, grantId, amount, policy, grantedOn }) as PriorGrant,
      );
      return { benefitKey, grants, version: total ? Number(total.version) : 0 };
    }),
  );
}

export interface Reservation {
  benefitKey: string;
  grantId: string;
  amount: string;
  policy: string;
  grantedOn: string;
  applicationId?: string;
}

/**
 * Transaction items that record grants and move each key's total forward, conditioned on the version
 * that was read: if another grant landed on the key meanwhile, the transaction fails and the award is
 * computed again, so two racing applications can never both be paid in full.
 */
export function reservationWrites(reservations: readonly Reservation[], states: readonly BenefitKeyState[]) {
  return reservations.flatMap((reservation) => {
    const state = states.find((s) => s.benefitKey === reservation.benefitKey);
    if (!state) throw new Error(`Benefit key ${reservation.benefitKey} was not read before reserving`);
    const total = formatYuan(sumYuan([...state.grants.map((g) => yuan(g.amount)), yuan(reservation.amount)]));
    return [
      {
        Put: {
          TableName: config.tableName,
          Item: { ...keys.benefitGrant(reservation.benefitKey, reservation.grantId), entity: 'Grant', ...reservation },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Update: {
          TableName: config.tableName,
          Key: keys.benefitTotal(reservation.benefitKey),
          UpdateExpression: 'SET #total = :total, #version = :next, entity = :entity',
          ConditionExpression: state.version === 0 ? 'attribute_not_exists(PK)' : '#version = :read',
          ExpressionAttributeNames: { '#total': 'total', '#version': 'version' },
          ExpressionAttributeValues: {
            ':total': total,
            ':next': state.version + 1,
            ':entity': 'BenefitTotal',
            ...(state.version === 0 ? {} : { ':read': state.version }),
          },
        },
      },
    ];
  });
}
