import type { NewNotification } from './notifications.js';

/** A notification as an email: the same words as the inbox, in plain text and HTML, with a link to the console. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
  link: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Where in the console the notification is about: the task for reviewers, else the application (hash routes). */
export function consoleLink(consoleUrl: string, notification: Pick<NewNotification, 'applicationId' | 'taskId'>): string {
  const base = consoleUrl.replace(/\/+$/, '');
  if (notification.taskId) return `${base}/#/tasks/${encodeURIComponent(notification.taskId)}`;
  if (notification.applicationId) return `${base}/#/applications/${encodeURIComponent(notification.applicationId)}`;
  return `${base}/#/notifications`;
}

/** Renders one notification; pure, so the inbox and the mail cannot say different things. */
export function mailFor(notification: NewNotification, consoleUrl: string): MailContent {
  const link = consoleLink(consoleUrl, notification);
  const subject = `【晋创谷·晋城】${notification.title}`;
  const footer = '此邮件由“晋创谷·晋城”补贴申报系统自动发送，请勿直接回复。如不希望收到此类邮件，可在系统“通知设置”中关闭。';
  const text = `${notification.title}\n\n${notification.body}\n\n查看详情：${link}\n\n${footer}\n`;
  const html =
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>` +
    `<h1 style="font-size:18px">${escapeHtml(notification.title)}</h1>` +
    `<p>${escapeHtml(notification.body)}</p>` +
    `<p><a href="${escapeHtml(link)}">在系统中查看详情</a></p>` +
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html, link };
}
