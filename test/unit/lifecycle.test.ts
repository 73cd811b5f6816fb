import { describe, expect, it } from 'vitest';
import {
  INITIAL_STATUSES,
  LIFECYCLE_FIELDS,
  PUBLICITY_BOOKKEEPING,
  type LifecycleField,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type Transition,
  type TransitionName,
  TransitionRefused,
  allows,
  eventOf,
  plan,
} from '../../functions/domain/lifecycle.js';
import { APPLICATION_STATUSES, type ApplicationStatus, WITHDRAWABLE_STATUSES } from '../../functions/domain/vocabulary.js';

const transitions = Object.entries(TRANSITIONS) as [TransitionName, Transition][];
const initial = (Object.values(INITIAL_STATUSES) as { status: ApplicationStatus; sets: readonly LifecycleField[]; may?: readonly LifecycleField[] }[]).map((start) => ({
  status: start.status,
  sets: [...start.sets, ...(start.may ?? [])],
}));

/**
 * For each status, the fields an application in it may hold: what the ways into it set, less what they
 * clear, over every path from an initial status (a fixpoint).
 */
function fieldsHeld(): Map<ApplicationStatus, Set<LifecycleField>> {
  const held = new Map<ApplicationStatus, Set<LifecycleField>>();
  const add = (status: ApplicationStatus, fields: Iterable<LifecycleField>) => {
    const current = held.get(status) ?? new Set();
    const before = current.size;
    for (const field of fields) current.add(field);
    held.set(status, current);
    return current.size > before || before === 0;
  };
  for (const start of initial) add(start.status, start.sets);
  // The 公示 bookkeeping is written in its statuses without a transition (store/publicity.ts).
  for (const status of PUBLICITY_BOOKKEEPING.statuses) add(status, PUBLICITY_BOOKKEEPING.fields);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [, t] of transitions) {
      for (const from of t.from) {
        const there = held.get(from);
        if (!there) continue;
        const after = [...there, ...t.sets, ...(t.may ?? [])].filter((field) => !t.clears.includes(field));
        if (add(t.to, after)) changed = true;
      }
    }
  }
  return held;
}

describe('the application lifecycle table', () => {
  it('reaches every status from an initial one', () => {
    const reached = new Set<ApplicationStatus>(initial.map((start) => start.status));
    let grew = true;
    while (grew) {
      grew = false;
      for (const [, t] of transitions) {
        if (t.from.some((from) => reached.has(from)) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it('has no way out of a terminal status, and a way out of every other', () => {
    for (const status of APPLICATION_STATUSES) {
      const out = transitions.filter(([, t]) => t.from.includes(status) && t.to !== status).map(([name]) => name);
      if ((TERMINAL_STATUSES as readonly string[]).includes(status)) expect(out, status).toEqual([]);
      else expect(out.length, `${status} has no way out`).toBeGreaterThan(0);
    }
  });

  it('clears only fields that an earlier transition set', () => {
    const held = fieldsHeld();
    for (const [name, t] of transitions) {
      const before = new Set(t.from.flatMap((from) => [...(held.get(from) ?? [])]));
      for (const field of t.clears) expect(before.has(field), `${name} clears ${field}, which nothing before it sets`).toBe(true);
    }
  });

  it('writes every lifecycle field somewhere, and never both sets and clears one', () => {
    const written = new Set<LifecycleField>([...initial.flatMap((s) => s.sets), ...PUBLICITY_BOOKKEEPING.fields, ...transitions.flatMap(([, t]) => [...t.sets, ...(t.may ?? [])])]);
    expect([...written].sort()).toEqual([...LIFECYCLE_FIELDS].sort());
    for (const [name, t] of transitions) for (const field of t.clears) expect([...t.sets, ...(t.may ?? [])], name).not.toContain(field);
  });

  it('names the event of every transition in use', () => {
    for (const [name, t] of transitions) if (!t.planned) expect(eventOf(name), name).toBeTypeOf('string');
    expect(eventOf('expireRevision')).toBe('WITHDRAWN');
    expect(eventOf('publicize')).toBe('NOTICE_PUBLISHED');
    expect(() => eventOf('confirmProposal')).toThrow(/no event type yet/);
  });

  it('lets the owner withdraw exactly from the withdrawable statuses', () => {
    expect(APPLICATION_STATUSES.filter((status) => allows(status, 'withdraw'))).toEqual([...WITHDRAWABLE_STATUSES]);
  });

  it('walks a paid application through the implemented transitions', () => {
    const path: TransitionName[] = ['assess', 'openTask', 'decide', 'openTask', 'decide', 'grantForPublicity', 'publicize', 'publicityPassed', 'batch', 'paymentFailed', 'batch', 'paid'];
    let status: ApplicationStatus = INITIAL_STATUSES.submit.status;
    for (const name of path) {
      expect((TRANSITIONS[name] as Transition).planned, name).toBeUndefined();
      status = plan(status, name, [...TRANSITIONS[name].sets]).to;
    }
    expect(status).toBe('PAID');
  });

  it('leads through 公示 to payable, and marks 免申即享’s transitions as planned, as API.md describes them', () => {
    expect(plan('IN_REVIEW', 'grantForPublicity', ['approvedAmount', 'reservations']).to).toBe('AWAITING_PUBLICITY');
    expect(plan('AWAITING_PUBLICITY', 'publicize', ['noticeId', 'publicityClosesAt', 'openObjections']).to).toBe('PUBLICIZING');
    expect(plan('PUBLICIZING', 'publicityPassed', []).to).toBe('APPROVED');
    expect(plan('PUBLICIZING', 'objectionUpheld', []).to).toBe('REJECTED');
    expect(plan('PROPOSED', 'confirmProposal', []).to).toBe('SUBMITTED');
    expect(plan('PROPOSED', 'expireProposal', []).to).toBe('EXPIRED');
    const planned = transitions.filter(([, t]) => t.planned).map(([name]) => name);
    expect(planned.sort()).toEqual(['confirmProposal', 'expireProposal']);
  });

  it('refuses a transition from a status it does not leave from, and fields that are not its own', () => {
    expect(() => plan('WITHDRAWN', 'reject', [])).toThrow(TransitionRefused);
    expect(() => plan('APPROVED', 'withdraw', ['withdrawal'])).toThrow(TransitionRefused);
    expect(() => plan('IN_REVIEW', 'grantForPublicity', ['approvedAmount', 'reservations', 'paidAt'])).toThrow(/does not write paidAt/);
    expect(() => plan('IN_REVIEW', 'grantForPublicity', ['reservations'])).toThrow(/must set approvedAmount/);
  });

  it('clears what the table lists for the transition', () => {
    expect(plan('RETURNED', 'resubmit', ['details']).clears).toEqual(TRANSITIONS.resubmit.clears);
    expect(plan('IN_REVIEW', 'decide', ['deciders']).clears).toEqual(['openTaskId']);
  });
});
