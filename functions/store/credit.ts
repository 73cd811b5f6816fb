import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CreditSubjectType } from '../domain/vocabulary.js';
import { type CreditListing, creditApplies } from '../domain/credit.js';
import { chinaDate } from '../domain/dates.js';
import { config } from '../config.js';
import { db } from './client.js';
import { GSI, keys, partitions } from './keys.js';
import { type Page, queryPage } from './pages.js';

export interface CreditRestriction {
  subjectType: CreditSubjectType;
  /** USCC, or the person key (never the raw ID number). */
  subjectId: string;
  /** Shown instead of the subject id for people: the masked ID number. */
  subjectLabel: string;
  listedOn: string;
  liftedOn?: string;
  validUntil?: string;
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
      ExpressionAttributeValues: { ':credit': partitions.credit },
      ScanIndexForward: false,
    },
    { name: 'GSI3PK', value: partitions.credit },
    limit,
    nextToken,
    (item) => {
      const { subjectType, subjectId, subjectLabel, listedOn, liftedOn, validUntil, reason, lifted, updatedAt, updatedBy } = item;
      return { subjectType, subjectId, subjectLabel, listedOn, liftedOn, validUntil, reason, lifted, updatedAt, updatedBy } as CreditRestriction;
    },
  );
}

/** Which of the subjects (`enterprise:<uscc>`, `person:<personKey>`) are restricted on `on` (YYYY-MM-DD, China). */
export async function restrictedSubjects(subjects: readonly string[], on: string = chinaDate(new Date())): Promise<string[]> {
  return (await creditCheck(subjects, on)).restricted;
}

/**
 * The credit check Grant makes (§5.8): which subjects are restricted today, and condition checks that
 * fail the transaction if any of their entries changed after it was read (a listing made meanwhile).
 */
export async function creditCheck(subjects: readonly string[], on: string = chinaDate(new Date())) {
  if (subjects.length === 0) return { restricted: [] as string[], unchanged: [] };
  const found = await readEntries(subjects);
  const restricted = found.filter((item) => creditApplies(item as unknown as CreditListing, on)).map((item) => `${item.subjectType}:${item.subjectId}`);
  const unchanged = subjects.map((subject) => {
    const [type, id] = subject.split(':') as [CreditSubjectType, string];
    const item = found.find((f) => f.subjectType === type && f.subjectId === id);
    return {
      ConditionCheck: {
        TableName: config.tableName,
        Key: keys.creditRestriction(type, id),
        ConditionExpression: item ? 'updatedAt = :read' : 'attribute_not_exists(PK)',
        ...(item ? { ExpressionAttributeValues: { ':read': item.updatedAt } } : {}),
      },
    };
  });
  return { restricted, unchanged };
}

async function readEntries(subjects: readonly string[]): Promise<Record<string, unknown>[]> {
  const { Responses } = await db.send(
    new BatchGetCommand({
      RequestItems: {
        [config.tableName]: {
          Keys: subjects.map((subject) => {
            const [type, id] = subject.split(':') as [CreditSubjectType, string];
            return keys.creditRestriction(type, id);
          }),
          ConsistentRead: true,
        },
      },
    }),
  );
  return Responses?.[config.tableName] ?? [];
}
