import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';

export interface RegistryEntry {
  uscc: string;
  name: string;
  joinedOn: string;
  bankAccount: { name: string; bank: string; number: string };
  updatedAt: string;
}

/** 入驻主体名录: puts (or replaces) an enterprise's roster entry. */
export async function putRegistryEntry(entry: RegistryEntry): Promise<void> {
  await db.send(new PutCommand({ TableName: config.tableName, Item: { ...keys.registry(entry.uscc), entity: 'Registry', ...entry } }));
}

export async function getRegistryEntry(uscc: string): Promise<RegistryEntry | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.registry(uscc), ConsistentRead: true }));
  if (!Item) return undefined;
  const { uscc: id, name, joinedOn, bankAccount, updatedAt } = Item;
  return { uscc: id, name, joinedOn, bankAccount, updatedAt } as RegistryEntry;
}
