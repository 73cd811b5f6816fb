import { useEffect, useState } from 'preact/hooks';
import { api, apiAll } from '../api';
import type { Notification } from '../api-types';
import { ErrorSummary, Loading, formatTime, useLoad } from '../components';
import { NOTIFICATION_KIND_LABELS } from '../labels';
import { navigate } from '../router';
import { Store, useStore } from '../store';

/** Bumped when a notification is read, so that the header's count follows the page. */
export const inboxChanged = new Store(0);

/** The signed-in person's unread notifications, shown in the header; looked at again on every page change. */
export function UnreadCount(props: { route: string }) {
  const changed = useStore(inboxChanged);
  const { data } = useLoad(() => apiAll<Notification>('/notifications'), [props.route, changed]);
  const unread = data?.filter((item) => !item.readAt).length;
  return (
    <a class="inbox-link" href="#/inbox" data-testid="unread">
      通知{unread ? <span class="badge unread-badge">{unread} 条未读</span> : null}
    </a>
  );
}

/** Where a notification leads: the task for a reviewer's, the application for everyone else's. */
function target(item: Notification): string | undefined {
  if (item.taskId && item.applicationId) return `#/tasks/${item.taskId}/${item.applicationId}`;
  if (item.applicationId) return `#/applications/${item.applicationId}`;
  return undefined;
}

/** 通知: newest first; opening one (or 标为已读) marks it read. */
export function Inbox() {
  const { data, error, reload } = useLoad(() => apiAll<Notification>('/notifications'), []);
  const [readError, setReadError] = useState<Error>();
  useEffect(() => setReadError(undefined), [data]);
  async function markRead(item: Notification) {
    if (item.readAt) return;
    try {
      await api('POST', `/notifications/${item.notificationId}/read`);
      inboxChanged.set(inboxChanged.value + 1);
    } catch (caught) {
      setReadError(caught as Error);
    }
  }
  return (
    <section>
      <h2>通知</h2>
      <div class="actions">
        <button type="button" class="secondary" onClick={reload}>
          刷新
        </button>
      </div>
      <ErrorSummary error={error ?? readError} />
      {!data && !error ? <Loading what="通知" /> : null}
      {data && data.length === 0 ? <p>暂无通知。</p> : null}
      {data && data.length ? (
        <ul class="inbox" aria-label="通知列表">
          {data.map((item) => {
            const href = target(item);
            return (
              <li class={item.readAt ? 'read' : 'unread'}>
                <p class="inbox-head">
                  <span class="badge">{NOTIFICATION_KIND_LABELS[item.kind] ?? item.kind}</span>
                  {item.readAt ? null : <span class="badge unread-badge">未读</span>}
                  <time dateTime={item.createdAt}>{formatTime(item.createdAt)}</time>
                </p>
                <h3>
                  {href ? (
                    <a
                      href={href}
                      onClick={(event) => {
                        // Read first, then go: the header's count is looked at again on arrival.
                        event.preventDefault();
                        void markRead(item).then(() => navigate(href.slice(1)));
                      }}
                    >
                      {item.title}
                    </a>
                  ) : (
                    item.title
                  )}
                </h3>
                <p class="inbox-body">{item.body}</p>
                {item.readAt ? null : (
                  <button
                    type="button"
                    class="secondary"
                    aria-label={`标为已读：${item.title}`}
                    onClick={() => void markRead(item).then(reload)}
                  >
                    标为已读
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
