import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { config } from '../config.js';
import type { EventData } from '../domain/domain-events.js';
import type { EventType } from '../domain/vocabulary.js';
import { db } from './client.js';
import { keys } from './keys.js';
import { type Page, queryPage } from './pages.js';

const nextId = monotonicFactory();

/** An event of the trail; its `data` is what domain/domain-events.ts declares for its type (it is published as such). */
export type ApplicationEvent<T extends EventType = EventType> = {
  [K in T]: { applicationId: string; type: K; at: string; actor: string; data?: EventData[K] };
}[T];
/** An event before the store places it (its application and time), still checked per type. */
export type NewEvent = ApplicationEvent extends infer E ? (E extends unknown ? Omit<E, 'applicationId' | 'at'> : never) : never;

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

/** The newest event of one type in an application's trail (trails are short: a few pages at most). */
export async function latestEvent<T extends EventType>(applicationId: string, type: T): Promise<ApplicationEvent<T> | undefined> {
  const { PK } = keys.application(applicationId);
  let start: Record<string, unknown> | undefined;
  do {
    const result = await db.send(
      new QueryCommand({
        TableName: config.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: '#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':pk': PK, ':prefix': keys.eventPrefix, ':type': type },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    const [found] = result.Items ?? [];
    if (found) return { applicationId, type, at: found.at, actor: found.actor, ...(found.data ? { data: found.data } : {}) } as ApplicationEvent<T>;
    start = result.LastEvaluatedKey;
  } while (start);
  return undefined;
}
