import { notificationsFor } from '../domain/notifications.js';
import { getApplication } from '../store/applications.js';
import { latestEvent } from '../store/events.js';
import { putNotification } from '../store/notifications.js';
import { eventConsumer } from './consumer.js';

/**
 * The in-app inbox: turns the events the mapping lets through (INBOX_EVENT_TYPES) into notifications.
 * Each is written once per event and inbox (its id is the event's), so a redelivered batch adds nothing.
 */
export const handler = eventConsumer('inbox', async (event) => {
  const application = await getApplication(event.applicationId);
  if (!application) throw new Error(`Application ${event.applicationId} not found`);
  let rejectComment: string | undefined;
  if (event.type === 'REJECTED') {
    const decided = await latestEvent(event.applicationId, 'DECIDED');
    rejectComment = decided?.type === 'DECIDED' ? decided.data?.comment : undefined;
  }
  for (const notification of notificationsFor(event, { uscc: application.uscc, rejectComment })) {
    await putNotification(notification, event.eventId, event.at);
  }
});
