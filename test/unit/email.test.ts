import { describe, expect, it } from 'vitest';
import { consoleLink, mailFor } from '../../functions/domain/email.js';
import { EMAIL_EVENT_TYPES, INBOX_EVENT_TYPES } from '../../functions/domain/notifications.js';

describe('notification mail content', () => {
  const notification = { recipient: { enterprise: '91140500MA0K00001U' }, kind: 'RETURNED' as const, title: '申请被退回补正', body: '审核意见：<script>alert(1)</script> & 其他。', applicationId: '01J0000000000000000000000A' };

  it('says what the inbox says, in text and HTML, with the application link; the HTML escapes the comment', () => {
    const mail = mailFor(notification, 'https://jcg.example.gov.cn/');
    expect(mail.subject).toBe('【晋创谷·晋城】申请被退回补正');
    expect(mail.link).toBe('https://jcg.example.gov.cn/#/applications/01J0000000000000000000000A');
    expect(mail.text).toContain(notification.body);
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; 其他。');
  });

  it('links a task for reviewers, else the application, else the notifications page', () => {
    expect(consoleLink('http://127.0.0.1:3000', { applicationId: 'A', taskId: 'T' })).toBe('http://127.0.0.1:3000/#/tasks/T');
    expect(consoleLink('http://127.0.0.1:3000', {})).toBe('http://127.0.0.1:3000/#/notifications');
  });

  it('mails every enterprise kind of event the inbox gets, and no staff event', () => {
    expect([...EMAIL_EVENT_TYPES, 'TASK_OPENED'].sort()).toEqual([...INBOX_EVENT_TYPES].sort());
  });
});
