import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { db } from './client.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** A nextToken that does not belong to the query it is sent with. */
export class PageTokenError extends Error {
  constructor() {
    super('nextToken 无效或不属于此查询');
  }
}

/**
 * One page of a Query. The nextToken is the LastEvaluatedKey, base64url-encoded; a token is accepted
 * only if it continues the same partition, so it cannot be used to read another one.
 */
export async function queryPage<T>(
  input: QueryCommandInput,
  partition: { name: string; value: string },
  limit: number,
  nextToken: string | undefined,
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  let exclusiveStartKey: Record<string, unknown> | undefined;
  if (nextToken) {
    try {
      exclusiveStartKey = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
    } catch {
      throw new PageTokenError();
    }
    const valid =
      exclusiveStartKey !== null &&
      typeof exclusiveStartKey === 'object' &&
      exclusiveStartKey[partition.name] === partition.value &&
      Object.values(exclusiveStartKey).every((value) => typeof value === 'string' && value.length <= 512) &&
      Object.keys(exclusiveStartKey).length <= 6;
    if (!valid) throw new PageTokenError();
  }
  const result = await db.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: exclusiveStartKey }));
  return {
    items: (result.Items ?? []).map(toItem),
    ...(result.LastEvaluatedKey
      ? { nextToken: Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString('base64url') }
      : {}),
  };
}
