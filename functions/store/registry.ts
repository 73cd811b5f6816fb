import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { db } from './client.js';
import { GSI, keys, partitions } from './keys.js';
import { type Page, hydrate, queryPage } from './pages.js';

export interface RegistryEntry {
  uscc: string;
  name: string;
  joinedOn: string;
  bankAccount: { name: string; bank: string; number: string };
  /** Where notification mail goes (optional). */
  contactEmail?: string;
  updatedAt: string;
}

/** 入驻主体名录: puts (or replaces) an enterprise's roster entry. */
export async function putRegistryEntry(entry: RegistryEntry): Promise<void> {
  await db.send(
    new PutCommand({ TableName: config.tableName, Item: { ...keys.registry(entry.uscc), ...keys.registryIndex(entry.uscc), entity: 'Registry', ...entry } }),
  );
}

/** The roster, by USCC. */
export function listRegistry(limit: number, nextToken?: string): Promise<Page<RegistryEntry>> {
  return queryPage(
    { TableName: config.tableName, IndexName: GSI.all, KeyConditionExpression: 'GSI3PK = :roster', ExpressionAttributeValues: { ':roster': partitions.registry } },
    { name: 'GSI3PK', value: partitions.registry },
    limit,
    nextToken,
    fromItem,
  );
}

export async function getRegistryEntry(uscc: string): Promise<RegistryEntry | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.registry(uscc), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
}

/** Roster names by USCC, for views that show who an application is from (one BatchGetItem per 100). */
export async function enterpriseNames(usccs: Iterable<string>): Promise<ReadonlyMap<string, string>> {
  const items = await hydrate([...new Set(usccs)].map((uscc) => keys.registry(uscc)));
  return new Map(items.map((item) => [item.uscc as string, item.name as string]));
}

/** USCCs of roster entries whose name contains `text` (the roster is the park's enterprises: hundreds). */
export async function usccsNamed(text: string): Promise<string[]> {
  const found: RegistryEntry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await listRegistry(100, nextToken);
    found.push(...page.items.filter((entry) => entry.name.includes(text)));
    nextToken = page.nextToken;
  } while (nextToken);
  // An exact name is the one meant, even where longer names contain it.
  const exact = found.filter((entry) => entry.name === text);
  return (exact.length > 0 ? exact : found).map((entry) => entry.uscc);
}

function fromItem(item: Record<string, unknown>): RegistryEntry {
  const { uscc, name, joinedOn, bankAccount, contactEmail, updatedAt } = item;
  return { uscc, name, joinedOn, bankAccount, ...(contactEmail ? { contactEmail } : {}), updatedAt } as RegistryEntry;
}
