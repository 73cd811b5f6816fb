import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config.js';
import { db } from './client.js';
import { GSI, keys } from './keys.js';
import { type Page, queryPage } from './pages.js';

export interface CreditRestriction {
  subjectType: 'enterprise' | 'person';
  /** USCC, or the person key (never the raw ID number). */
  subjectId: string;
  /** Shown instead of the subject id for people: the masked ID number. */
  subjectLabel: string;
  listedOn: string;
  reason: string;
  lifted: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** Adds, updates or lifts a 严重失信 entry. */
export async function putCreditRestriction(entry: CreditRestriction): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...keys.creditRestriction(entry.subjectType, entry.subjectId), ...keys.creditIndex(entry), entity: 'CreditRestriction', ...entry },
    }),
  );
}

/** The credit list, newest listing first; lifted entries stay on it, marked. */
export function listCreditRestrictions(limit: number, nextToken?: string): Promise<Page<CreditRestriction>> {
  return queryPage(
    {
      TableName: config.tableName,
      IndexName: GSI.all,
      KeyConditionExpression: 'GSI3PK = :credit',
      ExpressionAttributeValues: { ':credit': 'CREDIT' },
      ScanIndexForward: false,
    },
    { name: 'GSI3PK', value: 'CREDIT' },
    limit,
    nextToken,
    (item) => {
      const { subjectType, subjectId, subjectLabel, listedOn, reason, lifted, updatedAt, updatedBy } = item;
      return { subjectType, subjectId, subjectLabel, listedOn, reason, lifted, updatedAt, updatedBy } as CreditRestriction;
    },
  );
}

/** Which of the subjects (`enterprise:<uscc>`, `person:<personKey>`) are on the list and not lifted. */
export async function restrictedSubjects(subjects: readonly string[]): Promise<string[]> {
  if (subjects.length === 0) return [];
  const { Responses } = await db.send(
    new BatchGetCommand({
      RequestItems: {
        [config.tableName]: {
          Keys: subjects.map((subject) => {
            const [type, id] = subject.split(':') as ['enterprise' | 'person', string];
            return keys.creditRestriction(type, id);
          }),
          ConsistentRead: true,
        },
      },
    }),
  );
  return (Responses?.[config.tableName] ?? []).filter((item) => item.lifted !== true).map((item) => `${item.subjectType}:${item.subjectId}`);
}
