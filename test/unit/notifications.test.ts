import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import { INBOX_EVENT_TYPES, inboxesOf, notificationsFor } from '../../functions/domain/notifications.js';
import { EVENT_TYPES } from '../../functions/domain/vocabulary.js';
import { domainEventOf, eventConsumer } from '../../functions/events/consumer.js';

const base = { eventId: '01ARZ3NDEKTSV4RRFFQ69G5FAW', applicationId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', at: '2026-01-05T08:00:00.000Z', actor: 'x' };
const context = { uscc: '91140500MA0K00001U' };

describe('what the inbox says about each event', () => {
  it('tells the enterprise of payment, failed payment and approval, in Chinese, with the amount', () => {
    const paid = notificationsFor({ ...base, type: 'PAID', data: { batchId: 'b', amount: '123456.5', reference: 'BANK-1' } }, context);
    expect(paid).toEqual([expect.objectContaining({ recipient: { enterprise: context.uscc }, kind: 'PAID', title: '补贴已拨付', applicationId: base.applicationId })]);
    expect(paid[0]!.body).toContain('123456.50 元');
    expect(paid[0]!.body).toContain('BANK-1');
    const failed = notificationsFor({ ...base, type: 'PAYMENT_FAILED', data: { batchId: 'b', amount: '100', reason: '账户已销户' } }, context);
    expect(failed[0]).toMatchObject({ kind: 'PAYMENT_FAILED' });
    expect(failed[0]!.body).toContain('账户已销户');
    expect(failed[0]!.body).toContain('银行账户');
    const approved = notificationsFor({ ...base, type: 'GRANTED', data: { amount: '90000', benefitKeys: [], reducedFrom: '100000', reason: '按就高不重复扣减' } }, context);
    expect(approved[0]).toMatchObject({ kind: 'APPROVED_FOR_PUBLICITY' });
    expect(approved[0]!.body).toContain('公示');
    expect(approved[0]!.body).toContain('90000.00 元（按就高不重复扣减）');
  });

  it('tells the enterprise when its 公示 ends without objection, and when an objection is upheld, but not while one holds it', () => {
    expect(notificationsFor({ ...base, type: 'PUBLICITY_ENDED', data: { noticeId: 'n', held: true, openObjections: 1 } }, context)).toEqual([]);
    expect(notificationsFor({ ...base, type: 'PUBLICITY_ENDED', data: { noticeId: 'n', held: false } }, context)[0]).toMatchObject({ kind: 'PUBLICITY_ENDED' });
    expect(notificationsFor({ ...base, type: 'OBJECTION_RESOLVED', data: { objectionId: 'o', outcome: 'dismissed', comment: '异议不成立' } }, context)).toEqual([]);
    const upheld = notificationsFor({ ...base, type: 'OBJECTION_RESOLVED', data: { objectionId: 'o', outcome: 'upheld', comment: '该平台已撤销认定' } }, context);
    expect(upheld[0]).toMatchObject({ kind: 'REJECTED' });
    expect(upheld[0]!.body).toContain('该平台已撤销认定');
  });

  it('gives the returned application its due date as a day in China', () => {
    // 2026-02-04T17:00Z is already 2026-02-05 in Beijing.
    const [returned] = notificationsFor({ ...base, type: 'RETURNED', data: { stage: 'PARK_PRELIM', comment: '补充材料', revisionDueAt: '2026-02-04T17:00:00.000Z' } }, context);
    expect(returned!.body).toContain('（园区初审）');
    expect(returned!.body).toContain('请于 2026-02-05 前');
  });

  it('tells a department of its new task, and refuses a department it does not know', () => {
    const [task] = notificationsFor({ ...base, type: 'TASK_OPENED', data: { taskId: 't'.repeat(32), stage: 'DEPT_REVIEW', dept: 'kejiju', amount: '500000', dueAt: '2026-01-10T00:00:00.000Z' } }, context);
    expect(task).toMatchObject({ recipient: { dept: 'kejiju' }, kind: 'TASK_OPENED', taskId: 't'.repeat(32) });
    expect(() => notificationsFor({ ...base, type: 'TASK_OPENED', data: { taskId: 't', stage: 'DEPT_REVIEW', dept: 'moon', amount: '1', dueAt: base.at } }, context)).toThrow(/department/);
  });

  it('produces notifications exactly for the event types the mapping lets through', () => {
    const samples: Record<string, DomainEvent['data']> = {
      RETURNED: { revisionDueAt: base.at }, PAID: { batchId: 'b', amount: '1' }, PAYMENT_FAILED: { batchId: 'b', amount: '1' }, GRANTED: { amount: '1', benefitKeys: [] },
      TASK_OPENED: { taskId: 't', stage: 'PARK_PRELIM', dept: 'park', amount: '1', dueAt: base.at }, REJECTED: {},
      PUBLICITY_ENDED: { noticeId: 'n', held: false }, OBJECTION_RESOLVED: { objectionId: 'o', outcome: 'upheld', comment: '异议成立' },
    };
    for (const type of EVENT_TYPES) {
      const produced = notificationsFor({ ...base, type, data: samples[type] ?? {} } as DomainEvent, context).length > 0;
      expect(produced, type).toBe((INBOX_EVENT_TYPES as readonly string[]).includes(type));
    }
  });

  it('reads an enterprise’s inbox for its clerks, and a department’s and their own for reviewers', () => {
    expect(inboxesOf({ role: 'enterprise', sub: 'c', uscc: 'U' })).toEqual([{ enterprise: 'U' }]);
    expect(inboxesOf({ role: 'reviewer', sub: 'r', dept: 'park' })).toEqual([{ dept: 'park' }, { user: 'r' }]);
    expect(inboxesOf({ role: 'finance', sub: 'f' })).toEqual([{ user: 'f' }]);
  });
});

describe('the event consumer helper', () => {
  const record = (sequence: string, type: string, entity = 'Event') => ({
    eventID: sequence,
    dynamodb: {
      SequenceNumber: sequence,
      NewImage: {
        PK: { S: `APP#${base.applicationId}` },
        SK: { S: `EVENT#${base.at}#${base.eventId}${sequence}` },
        entity: { S: entity },
        applicationId: { S: base.applicationId },
        type: { S: type },
        at: { S: base.at },
        actor: { S: 'x' },
      },
    },
  });

  it('gives the handler typed events whose id is the event item’s ULID', () => {
    expect(domainEventOf(record('1', 'RESUBMITTED') as never)).toEqual({ ...base, eventId: `${base.eventId}1`, type: 'RESUBMITTED', data: {} });
    expect(() => domainEventOf(record('1', 'RESUBMITTED', 'Application') as never)).toThrow();
    expect(() => domainEventOf(record('1', 'NO_SUCH_TYPE') as never)).toThrow();
  });

  it('stops at the first failing record and reports it, so the mapping retries from there', async () => {
    const seen: string[] = [];
    const handler = eventConsumer('test', async (event) => {
      seen.push(event.eventId.slice(-1));
      if (event.type === 'PAID') throw new Error('boom');
    });
    const result = await handler({ Records: [record('1', 'SUBMITTED'), record('2', 'PAID'), record('3', 'SUBMITTED')] } as never);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(seen).toEqual(['1', '2']);
    expect(await handler({ Records: [record('4', 'SUBMITTED')] } as never)).toEqual({ batchItemFailures: [] });
  });
});
