import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
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
  const found = input.IndexName ? await hydrate(result.Items ?? []) : (result.Items ?? []);
  return {
    items: found.map(toItem),
    ...(result.LastEvaluatedKey
      ? { nextToken: Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString('base64url') }
      : {}),
  };
}

/** Every item a Query matches, all pages; items found through an index are read in full. */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(input.IndexName ? await hydrate(page.Items ?? []) : (page.Items ?? [])));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * The indexes project keys and a few filter attributes only: this reads the full items they point to,
 * in the same order (BatchGetItem, 100 keys a call, unprocessed keys retried).
 */
export async function hydrate(indexItems: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
  const keyOf = (item: Record<string, unknown>) => `${item.PK}\u0000${item.SK}`;
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < indexItems.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = indexItems.slice(i, i + 100).map(({ PK, SK }) => ({ PK, SK }));
    while (keys && keys.length > 0) {
      const result = await db.send(new BatchGetCommand({ RequestItems: { [config.tableName]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of result.Responses?.[config.tableName] ?? []) found.set(keyOf(item), item);
      keys = result.UnprocessedKeys?.[config.tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  // An item deleted between the query and the read is left out.
  return indexItems.map((item) => found.get(keyOf(item))).filter((item): item is Record<string, unknown> => item !== undefined);
}
