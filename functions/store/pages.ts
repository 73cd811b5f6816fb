import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
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

let derived: { secret: string; key: Buffer } | undefined;

/** The AES-256 key for page tokens, derived from the page-token secret (HKDF, its own label). */
async function tokenKey(): Promise<Buffer> {
  const secret = await config.pageTokenSecret();
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(hkdfSync('sha256', secret, '', 'jcg-subsidy page token v1', 32)) };
  return derived.key;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals a LastEvaluatedKey with AES-256-GCM; the listing it continues (`binding`) is the associated
 * data, so the token opens only for the same listing and cannot be forged or altered.
 */
export async function sealPageToken(lastEvaluatedKey: Record<string, unknown>, binding: string): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await tokenKey(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(binding, 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(lastEvaluatedKey), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** Opens a page token of this listing; anything else (garbled, forged, another listing's) is a PageTokenError. */
export async function openPageToken(token: string, binding: string): Promise<Record<string, unknown>> {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length <= IV_BYTES + TAG_BYTES) throw new PageTokenError();
  const key = await tokenKey(); // outside the try: a key that cannot be read is our failure, not the caller's
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(binding, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    const lastKey = JSON.parse(plain) as unknown;
    if (lastKey === null || typeof lastKey !== 'object' || Array.isArray(lastKey)) throw new PageTokenError();
    return lastKey as Record<string, unknown>;
  } catch {
    throw new PageTokenError();
  }
}

/**
 * One page of a Query. The nextToken is the LastEvaluatedKey sealed for this listing: table, index,
 * partition and, where given, the caller (`scope`). A token of another listing, or one altered or
 * made up, is refused (400), so it can neither read another partition nor reach DynamoDB malformed.
 */
export async function queryPage<T>(
  input: QueryCommandInput,
  partition: { name: string; value: string },
  limit: number,
  nextToken: string | undefined,
  toItem: (item: Record<string, unknown>) => T,
  scope = '',
): Promise<Page<T>> {
  const binding = JSON.stringify([input.TableName, input.IndexName ?? '', partition.name, partition.value, scope]);
  const exclusiveStartKey = nextToken ? await openPageToken(nextToken, binding) : undefined;
  if (exclusiveStartKey && exclusiveStartKey[partition.name] !== partition.value) throw new PageTokenError();
  const result = await db.send(new QueryCommand({ ...input, Limit: limit, ExclusiveStartKey: exclusiveStartKey }));
  const found = input.IndexName ? await hydrate(result.Items ?? []) : (result.Items ?? []);
  return {
    items: found.map(toItem),
    ...(result.LastEvaluatedKey ? { nextToken: await sealPageToken(result.LastEvaluatedKey, binding) } : {}),
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
