import { monotonicFactory } from 'ulid';
import { config } from '../config.js';
import type { EventType } from '../domain/vocabulary.js';
import { keys } from './keys.js';
import { type Page, queryPage } from './pages.js';

const nextId = monotonicFactory();

export interface ApplicationEvent {
  applicationId: string;
  type: EventType;
  at: string;
  actor: string;
  data?: Record<string, unknown>;
}

/**
 * An audit event as a transaction Put: written in the same transaction as the state change it records,
 * and never overwritten.
 */
export function eventPut(event: ApplicationEvent) {
  return {
    Put: {
      TableName: config.tableName,
      Item: { ...keys.event(event.applicationId, event.at, nextId()), entity: 'Event', ...event },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

/** The trail of one application, oldest first; `caller` binds the page tokens to one person. */
export async function listEvents(applicationId: string, limit: number, nextToken?: string, caller?: string): Promise<Page<ApplicationEvent>> {
  const { PK } = keys.application(applicationId);
  return queryPage(
    {
      TableName: config.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': keys.eventPrefix },
      ScanIndexForward: true,
    },
    { name: 'PK', value: PK },
    limit,
    nextToken,
    ({ applicationId: id, type, at, actor, data }) =>
      ({ applicationId: id, type, at, actor, ...(data ? { data } : {}) }) as ApplicationEvent,
    caller,
  );
}
