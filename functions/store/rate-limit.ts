import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { db } from './client.js';
import { IDEMPOTENCY_TTL_ATTRIBUTE, keys } from './keys.js';

/**
 * A fixed-window counter per client in the table, so that the limit is the same in AWS as locally and
 * holds across Lambda instances. The counter expires with the table's TTL. Returns false once the
 * client has used up `limit` requests in the current window.
 */
export async function takeRequest(scope: string, client: string, limit: number, windowSeconds: number, now = Date.now()): Promise<boolean> {
  const window = Math.floor(now / 1000 / windowSeconds);
  try {
    await db.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: keys.rateCounter(scope, client, window),
        UpdateExpression: 'ADD #count :one SET #expires = :expires, entity = :entity',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'count', '#expires': IDEMPOTENCY_TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': (window + 2) * windowSeconds, ':entity': 'RateCounter' },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
