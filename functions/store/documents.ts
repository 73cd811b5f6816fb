import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DocumentStatus } from '../domain/documents.js';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';

export interface DocumentRecord {
  documentId: string;
  uscc: string;
  docType: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  status: DocumentStatus;
  reason?: string;
  objectKey: string;
  createdAt: string;
  createdBy: string;
  /** Applications whose submission names it: their reviewers may see it. */
  usedBy?: string[];
  checkedAt?: string;
}

const STORED_ONLY = ['PK', 'SK', 'entity'];

export async function putDocument(document: DocumentRecord): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: config.tableName,
      Item: { ...keys.document(document.documentId), entity: 'Document', ...document },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function getDocument(documentId: string): Promise<DocumentRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.document(documentId), ConsistentRead: true }));
  if (!Item) return undefined;
  const record = { ...Item };
  for (const key of STORED_ONLY) delete record[key];
  // usedBy is a string set in the table.
  if (record.usedBy instanceof Set) record.usedBy = [...(record.usedBy as Set<string>)];
  return record as DocumentRecord;
}

/**
 * Moves a document to a later status, only from the ones given: a late or repeated S3 event cannot
 * turn a REJECTED file CLEAN, nor a CLEAN one back to SCANNING. Returns false when the move did not apply.
 */
export async function moveDocument(documentId: string, from: readonly DocumentStatus[], to: DocumentStatus, reason?: string): Promise<boolean> {
  const values: Record<string, unknown> = { ':to': to, ':at': new Date().toISOString() };
  from.forEach((status, i) => (values[`:from${i}`] = status));
  if (reason) values[':reason'] = reason;
  try {
    await db.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: keys.document(documentId),
        UpdateExpression: `SET #status = :to, checkedAt = :at${reason ? ', reason = :reason' : ''}`,
        ConditionExpression: `attribute_exists(PK) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The transaction item that records an application's use of a CLEAN document of its enterprise. */
export function documentUse(documentId: string, uscc: string, applicationId: string) {
  return {
    Update: {
      TableName: config.tableName,
      Key: keys.document(documentId),
      UpdateExpression: 'ADD usedBy :app',
      ConditionExpression: 'attribute_exists(PK) AND uscc = :uscc AND #status = :clean',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':app': new Set([applicationId]), ':uscc': uscc, ':clean': 'CLEAN' },
    },
  };
}

/**
 * Records one of the two checks (the bytes against the declaration, the malware scan) and makes the
 * document CLEAN when both are in: they may finish in either order (GuardDuty reports on its own).
 */
export async function markChecked(documentId: string, check: 'bytes' | 'malware'): Promise<void> {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: keys.document(documentId),
      UpdateExpression: 'ADD checksPassed :check',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':check': new Set([check]) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const passed = Attributes?.checksPassed as Set<string> | undefined;
  if (passed?.has('bytes') && passed.has('malware')) await moveDocument(documentId, ['SCANNING'], 'CLEAN');
}
