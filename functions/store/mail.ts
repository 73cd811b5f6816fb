import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationKind } from '../domain/vocabulary.js';
import { config } from '../config.js';
import { db } from './client.js';
import { keys } from './keys.js';

/** Whether the mail for this event was sent to this address already. */
export async function mailSent(eventId: string, address: string): Promise<boolean> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.mailSent(eventId, address), ConsistentRead: true }));
  return Item !== undefined;
}

/**
 * Records that the mail was sent. The condition makes the first record win; a second (a redelivery
 * that raced past the read) is not an error, since the mail is out either way.
 */
export async function markMailSent(eventId: string, address: string, messageId: string, sentAt: string): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: config.tableName,
        Item: { ...keys.mailSent(eventId, address), entity: 'MailSent', eventId, messageId, sentAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

export interface MailPreferences {
  /** Kinds the enterprise gets in its inbox only. */
  emailOff: NotificationKind[];
  updatedAt?: string;
}

export async function getMailPreferences(uscc: string): Promise<MailPreferences> {
  const { Item } = await db.send(new GetCommand({ TableName: config.tableName, Key: keys.mailPreferences(uscc), ConsistentRead: true }));
  return Item ? { emailOff: (Item.emailOff as NotificationKind[]) ?? [], updatedAt: Item.updatedAt as string } : { emailOff: [] };
}

export async function putMailPreferences(uscc: string, preferences: Required<MailPreferences>): Promise<void> {
  await db.send(new PutCommand({ TableName: config.tableName, Item: { ...keys.mailPreferences(uscc), entity: 'MailPreferences', uscc, ...preferences } }));
}
