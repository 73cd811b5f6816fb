import { putNotification } from '../store/notifications.js';
import { eventConsumer } from './consumer.js';
import { notificationsOfEvent } from './notifications-of.js';

/**
 * The in-app inbox: turns the events the mapping lets through (INBOX_EVENT_TYPES) into notifications.
 * Each is written once per event and inbox (its id is the event's), so a redelivered batch adds nothing.
 */
export const handler = eventConsumer('inbox', async (event) => {
  const notifications = await notificationsOfEvent(event);
  if (!notifications) throw new Error(`Application ${event.applicationId} not found`);
  for (const notification of notifications) {
    await putNotification(notification, event.eventId, event.at);
  }
});
