import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NewNotification, Recipient } from '../domain/notifications.js';
import type { NotificationKind } from '../domain/vocabulary.js';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';
import { type Page, PageTokenError, openPageToken, sealPageToken } from './pages.js';

export interface Notification {
  notificationId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  applicationId?: string;
  taskId?: string;
  createdAt: string;
  readAt?: string;
}

export const inboxOf = (recipient: Recipient): string =>
  'enterprise' in recipient ? `enterprise#${recipient.enterprise}` : 'dept' in recipient ? `dept#${recipient.dept}` : `user#${recipient.user}`;

/**
 * Writes a notification unless this inbox has it already: its id is the event's, so a redelivered
 * event writes nothing twice. Returns whether it was new.
 */
export async function putNotification(notification: NewNotification, notificationId: string, createdAt: string): Promise<boolean> {
  const { recipient, ...shown } = notification;
  try {
    await db.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...keys.notification(inboxOf(recipient), notificationId), entity: 'Notification', notificationId, createdAt, ...shown },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function fromItem({ notificationId, kind, title, body, applicationId, taskId, createdAt, readAt }: Record<string, unknown>): Notification {
  return { notificationId, kind, title, body, createdAt, ...(applicationId ? { applicationId } : {}), ...(taskId ? { taskId } : {}), ...(readAt ? { readAt } : {}) } as Notification;
}

/**
 * The caller's inboxes merged, newest first. Each page reads `limit` items from every inbox below the
 * last id shown; the token (sealed to the caller and the inboxes) holds that id.
 */
export async function listNotifications(recipients: readonly Recipient[], limit: number, nextToken: string | undefined, caller: string): Promise<Page<Notification>> {
  const inboxes = recipients.map(inboxOf);
  const binding = JSON.stringify([config.tableName, 'notifications', caller, inboxes]);
  const before = nextToken ? (await openPageToken(nextToken, binding)).before : undefined;
  if (nextToken && (typeof before !== 'string' || !before.startsWith(keys.notificationPrefix))) throw new PageTokenError();
  const pages = await Promise.all(
    inboxes.map(async (inbox) => {
      const { PK } = keys.notification(inbox, '');
      const result = await db.send(
        new QueryCommand({
          TableName: config.tableName,
          KeyConditionExpression: before ? 'PK = :pk AND SK < :before' : 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: before ? { ':pk': PK, ':before': before } : { ':pk': PK, ':prefix': keys.notificationPrefix },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return { items: result.Items ?? [], more: result.LastEvaluatedKey !== undefined };
    }),
  );
  const merged = pages.flatMap((page) => page.items).sort((a, b) => (String(a.SK) < String(b.SK) ? 1 : -1));
  const shown = merged.slice(0, limit);
  const more = merged.length > limit || pages.some((page) => page.more);
  return {
    items: shown.map(fromItem),
    ...(more && shown.length > 0 ? { nextToken: await sealPageToken({ before: shown.at(-1)!.SK }, binding) } : {}),
  };
}

/** Marks a notification of one of the caller's inboxes read (the first time counts); undefined if none has it. */
export async function markNotificationRead(recipients: readonly Recipient[], notificationId: string, at: string): Promise<Notification | undefined> {
  for (const recipient of recipients) {
    try {
      const { Attributes } = await db.send(
        new UpdateCommand({
          TableName: config.tableName,
          Key: keys.notification(inboxOf(recipient), notificationId),
          UpdateExpression: 'SET readAt = if_not_exists(readAt, :at)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return undefined;
}
