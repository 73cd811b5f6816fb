import type { DomainEvent } from '../domain/domain-events.js';
import { type NewNotification, notificationsFor } from '../domain/notifications.js';
import { getApplication } from '../store/applications.js';
import { latestEvent } from '../store/events.js';

/**
 * The notifications one event gives, with what the domain needs read from the table (the inbox and the
 * mail use this); undefined when the event's application does not exist.
 */
export async function notificationsOfEvent(event: DomainEvent): Promise<NewNotification[] | undefined> {
  const application = await getApplication(event.applicationId);
  if (!application) return undefined;
  let rejectComment: string | undefined;
  if (event.type === 'REJECTED') {
    const decided = await latestEvent(event.applicationId, 'DECIDED');
    rejectComment = decided?.type === 'DECIDED' ? decided.data?.comment : undefined;
  }
  return notificationsFor(event, { uscc: application.uscc, rejectComment });
}
