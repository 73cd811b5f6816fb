import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type DuplicateWarning, type SubjectMarks, duplicateWarnings } from '../domain/duplicates.js';
import { config } from '../config.js';
import { LIVE_STATUSES } from '../domain/vocabulary.js';
import { db } from './client.js';
import { keys, partitions } from './keys.js';
import { queryAll } from './pages.js';


const LIVE = new Set<string>(LIVE_STATUSES);

/**
 * Compares an application's marks with every other application's, then keeps the matches that are
 * still under review or granted (read strongly, a handful at most). The whole partition is read: fine
 * for a city programme's thousands of applications; a larger one would index names by n-grams.
 */
export async function findDuplicates(applicationId: string, marks: SubjectMarks): Promise<DuplicateWarning[]> {
  if (marks.names.length === 0 && marks.numbers.length === 0) return [];
  const items = await queryAll({ TableName: config.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partitions.subjectMarks } });
  const others = items
    .filter((item) => item.applicationId !== applicationId)
    .map((item) => ({ applicationId: String(item.applicationId), programId: String(item.programId), marks: item.marks as SubjectMarks }));
  const warnings = duplicateWarnings(marks, others);
  if (warnings.length === 0) return [];
  const live = new Set<string>();
  for (let i = 0; i < warnings.length; i += 100) {
    const { Responses } = await db.send(
      new BatchGetCommand({
        RequestItems: { [config.tableName]: { Keys: warnings.slice(i, i + 100).map((w) => keys.application(w.applicationId)), ConsistentRead: true, ProjectionExpression: 'id, #status', ExpressionAttributeNames: { '#status': 'status' } } },
      }),
    );
    for (const item of Responses?.[config.tableName] ?? []) if (LIVE.has(String(item.status))) live.add(String(item.id));
  }
  return warnings.filter((w) => live.has(w.applicationId));
}

/** Records an application's marks, for the applications assessed after it. */
export async function recordMarks(applicationId: string, programId: string, uscc: string, marks: SubjectMarks): Promise<void> {
  if (marks.names.length === 0 && marks.numbers.length === 0) return;
  await db.send(new PutCommand({ TableName: config.tableName, Item: { ...keys.subjectMarks(applicationId), entity: 'SubjectMarks', applicationId, programId, uscc, marks } }));
}
