import { createHash } from 'node:crypto';
import { mailFor } from '../domain/email.js';
import { logger } from '../logger.js';
import { sendMail } from '../mail/transport.js';
import { getMailPreferences, mailSent, markMailSent } from '../store/mail.js';
import { getRegistryEntry } from '../store/registry.js';
import { eventConsumer } from './consumer.js';
import { notificationsOfEvent } from './notifications-of.js';

/**
 * Notification mail: the inbox's notifications for enterprises, sent to the roster's contactEmail unless
 * the enterprise turned that kind off. Each (event, address) is sent once: a marker is read before and
 * written after the send. A failed send throws, so the mapping retries the record (the business
 * transaction committed long before); what still fails lands in the mapping's failure queue.
 */
export const handler = eventConsumer('email', async (event) => {
  const notifications = await notificationsOfEvent(event);
  // The inbox's mapping reports such an event to its failure queue; retrying it here would only hold
  // back every later mail (this mapping retries for a day, for mail servers that are down).
  if (!notifications) return logger.error('event of an unknown application: no mail', { eventId: event.eventId, applicationId: event.applicationId });
  for (const notification of notifications) {
    // Staff get the inbox only (see README: no staff addresses are stored).
    if (!('enterprise' in notification.recipient)) continue;
    const uscc = notification.recipient.enterprise;
    const [entry, preferences] = await Promise.all([getRegistryEntry(uscc), getMailPreferences(uscc)]);
    const to = entry?.contactEmail;
    if (!to || preferences.emailOff.includes(notification.kind)) continue;
    if (await mailSent(event.eventId, to)) continue;
    const consoleUrl = process.env.CONSOLE_URL;
    if (!consoleUrl) throw new Error('Missing environment variable CONSOLE_URL');
    const mail = mailFor(notification, consoleUrl);
    const messageId = `<${event.eventId}.${createHash('sha256').update(to).digest('hex').slice(0, 16)}@jcg-subsidy>`;
    await sendMail({ to, subject: mail.subject, text: mail.text, html: mail.html, messageId });
    await markMailSent(event.eventId, to, messageId, new Date().toISOString());
    logger.info('notification mail sent', { eventId: event.eventId, kind: notification.kind });
  }
});
