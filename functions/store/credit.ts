import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';

/** Whether a subject is on the 严重失信主体名单 and not lifted. */
export async function isCreditRestricted(subjectType: 'enterprise' | 'person', subjectId: string): Promise<boolean> {
  const { Item } = await db.send(
    new GetCommand({ TableName: config.tableName, Key: keys.creditRestriction(subjectType, subjectId), ConsistentRead: true }),
  );
  return Item !== undefined && Item.lifted !== true;
}
