import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PARAMETERS } from '../domain/parameter-defaults.js';
import { type ParameterTable, type ParameterUsed, withOverrides } from '../domain/parameters.js';
import { config } from '../config.js';
import { db } from './client.js';
import { keys, partitions } from './keys.js';
import { queryAll } from './pages.js';

export interface ParameterOverride extends ParameterUsed {
  reason: string;
  setBy: string;
  setAt: string;
}

/** The shipped defaults with every dated value administrators added on top. */
export async function loadParameters(): Promise<ParameterTable> {
  const overrides = (await queryAll({
    TableName: config.tableName,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': partitions.parameters },
    ConsistentRead: true,
  })) as unknown as ParameterOverride[];
  return withOverrides(DEFAULT_PARAMETERS, overrides.map(({ name, from, value, source }) => ({ name, from, value, source })));
}

/** Adds (or replaces) the value of a parameter from a date on. */
export async function putParameterOverride(override: ParameterOverride): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...keys.parameterOverride(override.name, override.from), entity: 'ParameterOverride', ...override },
    }),
  );
}
