import { ENDPOINTS } from '../../schemas/api.js';
import { inboxesOf } from '../domain/notifications.js';
import { ApiError } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { listNotifications, markNotificationRead } from '../store/notifications.js';

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
]);
