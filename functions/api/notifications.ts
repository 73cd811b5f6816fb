import { ENDPOINTS } from '../../schemas/api.js';
import { inboxesOf } from '../domain/notifications.js';
import { ApiError, forbidden } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { getMailPreferences, putMailPreferences } from '../store/mail.js';
import { listNotifications, markNotificationRead } from '../store/notifications.js';

/** The route's roles admit enterprises only, whose tokens always name their USCC. */
const ownUscc = (principal: { role: string; uscc?: string }) => {
  if (principal.role !== 'enterprise' || !principal.uscc) throw forbidden();
  return principal.uscc;
};

export const handler = apiHandler([
  route(ENDPOINTS.listNotifications, async ({ principal, query }) => ({
    status: 200,
    body: await listNotifications(inboxesOf(principal), query.limit, query.nextToken, principal.sub),
  })),
  route(ENDPOINTS.readNotification, async ({ principal, params }) => {
    const read = await markNotificationRead(inboxesOf(principal), params.id, new Date().toISOString());
    if (!read) throw new ApiError('NOT_FOUND', '通知不存在');
    return { status: 200, body: read };
  }),
  route(ENDPOINTS.getNotificationPreferences, async ({ principal }) => ({ status: 200, body: await getMailPreferences(ownUscc(principal)) })),
  route(ENDPOINTS.putNotificationPreferences, async ({ principal, body }) => {
    const preferences = { emailOff: body.emailOff, updatedAt: new Date().toISOString() };
    await putMailPreferences(ownUscc(principal), preferences);
    return { status: 200, body: preferences };
  }),
]);
