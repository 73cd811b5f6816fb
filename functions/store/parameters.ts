import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_PARAMETERS } from '../domain/parameter-defaults.js';
import { type ParameterTable, type ParameterUsed, withOverrides } from '../domain/parameters.js';
import { config } from '../config.js';
import { db } from './client.js';
import { queryAll } from './pages.js';

const PARTITION = 'PARAMETERS';

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
    ExpressionAttributeValues: { ':pk': PARTITION },
    ConsistentRead: true,
  })) as unknown as ParameterOverride[];
  return withOverrides(DEFAULT_PARAMETERS, overrides.map(({ name, from, value, source }) => ({ name, from, value, source })));
}

/** Adds (or replaces) the value of a parameter from a date on. */
export async function putParameterOverride(override: ParameterOverride): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: config.tableName,
      Item: { PK: PARTITION, SK: `${override.name}#${override.from}`, entity: 'ParameterOverride', ...override },
    }),
  );
}
