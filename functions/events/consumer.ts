import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import type { DomainEvent } from '../domain/domain-events.js';
import { EVENT_TYPES } from '../domain/vocabulary.js';
import { logger } from '../logger.js';
import { keys } from '../store/keys.js';

/** An event item as the table's stream carries it (NEW_IMAGE); its id is the ULID at the end of its SK. */
const EventItem = z.object({
  SK: z.string().startsWith(keys.eventPrefix),
  entity: z.literal('Event'),
  applicationId: z.string().min(1),
  type: z.enum(EVENT_TYPES),
  at: z.iso.datetime(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** The domain event in a stream record; a record that is not an event item is an error (the filter should have dropped it). */
export function domainEventOf(record: DynamoDBStreamEvent['Records'][number]): DomainEvent {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`Stream record ${record.eventID} has no new image`);
  const item = EventItem.parse(unmarshall(image as Record<string, AttributeValue>));
  // The writers are typed against EventData (store/events.ts), so the payload is what its type says.
  return { eventId: item.SK.split('#').at(-1)!, applicationId: item.applicationId, type: item.type, at: item.at, actor: item.actor, data: item.data ?? {} } as DomainEvent;
}

/**
 * A Lambda handler for an event source mapping on the table's stream (infra/event-consumer.ts). Events
 * are handled in stream order; at the first failure the rest of the batch is left, and that record is
 * reported (ReportBatchItemFailures): the mapping retries from it. Delivery is at least once, so
 * `handle` must be idempotent (key its writes on `eventId`).
 */
export function eventConsumer(name: string, handle: (event: DomainEvent) => Promise<void>) {
  return async (stream: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of stream.Records) {
      try {
        await handle(domainEventOf(record));
      } catch (error) {
        logger.error('event not handled', { consumer: name, eventID: record.eventID, sequenceNumber: record.dynamodb?.SequenceNumber, error: error as Error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
