import { describe, expect, it } from 'vitest';
import {
  type ApplicationUnderReview,
  type ReviewTask,
  claimRefusal,
  decidedAnotherStage,
  decidersOf,
  decisionRefusal,
  maySee,
  unclaimRefusal,
  withDecider,
} from '../../functions/domain/review.js';

const park = { sub: 'park-reviewer', dept: 'park' } as const;
const kejiju = { sub: 'kj-reviewer', dept: 'kejiju' } as const;
const openTask: ReviewTask = { stage: 'DEPT_REVIEW', dept: 'kejiju', status: 'OPEN', amount: '100000.00' };
const inReview: ApplicationUnderReview = { status: 'IN_REVIEW', stage: 'DEPT_REVIEW', deciders: [{ stage: 'PARK_PRELIM', sub: 'park-reviewer' }] };

describe('deciders: structured, read in both shapes', () => {
  it('reads the first round’s `stage:sub` strings, a sub with colons included', () => {
    expect(decidersOf(['PARK_PRELIM:alice', 'DEPT_REVIEW:oidc|tenant:bob'])).toEqual([
      { stage: 'PARK_PRELIM', sub: 'alice' },
      { stage: 'DEPT_REVIEW', sub: 'oidc|tenant:bob' },
    ]);
    expect(decidersOf(undefined)).toEqual([]);
  });

  it('refuses a string that names no stage rather than guessing', () => {
    expect(() => decidersOf(['alice'])).toThrow(/Malformed decider/);
    expect(() => decidersOf(['NOT_A_STAGE:alice'])).toThrow(/Malformed decider/);
  });

  it('writes the structured shape only, old entries included, one entry per person and stage', () => {
    const next = withDecider(['PARK_PRELIM:alice', { stage: 'DEPT_REVIEW', sub: 'bob', decision: 'return', at: '2025-07-01T00:00:00.000Z' }], {
      stage: 'DEPT_REVIEW',
      sub: 'bob',
      decision: 'approve',
      at: '2025-07-02T00:00:00.000Z',
    });
    expect(next).toEqual([
      { stage: 'PARK_PRELIM', sub: 'alice' },
      { stage: 'DEPT_REVIEW', sub: 'bob', decision: 'approve', at: '2025-07-02T00:00:00.000Z' },
    ]);
    expect(next.every((d) => typeof d === 'object')).toBe(true);
  });

  it('applies one person, one stage to both shapes', () => {
    expect(decidedAnotherStage({ ...inReview, deciders: ['PARK_PRELIM:kj-reviewer'] }, 'kj-reviewer', 'DEPT_REVIEW')).toBe(true);
    expect(decidedAnotherStage({ ...inReview, deciders: [{ stage: 'PARK_PRELIM', sub: 'kj-reviewer' }] }, 'kj-reviewer', 'DEPT_REVIEW')).toBe(true);
    // The same stage again (after a return) is the same duty.
    expect(decidedAnotherStage({ ...inReview, deciders: ['DEPT_REVIEW:kj-reviewer'] }, 'kj-reviewer', 'DEPT_REVIEW')).toBe(false);
    expect(decidedAnotherStage(inReview, 'kj-reviewer', 'DEPT_REVIEW')).toBe(false);
  });
});

describe('reviewer rules', () => {
  it('shows a task only to its department', () => {
    expect(maySee(openTask, kejiju)).toBe(true);
    expect(maySee(openTask, park)).toBe(false);
  });

  it('claims an open task unless another holds it; releases only one’s own', () => {
    expect(claimRefusal(openTask, kejiju)).toBeUndefined();
    expect(claimRefusal({ ...openTask, claimedBy: kejiju.sub }, kejiju)).toBeUndefined();
    expect(claimRefusal({ ...openTask, claimedBy: 'other' }, kejiju)).toEqual({ kind: 'conflict', message: '任务已由 other 认领' });
    expect(claimRefusal({ ...openTask, status: 'DECIDED' }, kejiju)?.kind).toBe('conflict');
    expect(unclaimRefusal({ ...openTask, claimedBy: kejiju.sub }, kejiju)).toBeUndefined();
    expect(unclaimRefusal(openTask, kejiju)?.kind).toBe('conflict');
    expect(unclaimRefusal({ ...openTask, claimedBy: 'other' }, kejiju)?.kind).toBe('conflict');
  });

  it('refuses decisions in the order the API answers them', () => {
    const approve = { decision: 'approve' as const };
    expect(decisionRefusal(openTask, inReview, kejiju, approve)).toBeUndefined();
    expect(decisionRefusal({ ...openTask, status: 'DECIDED' }, inReview, kejiju, approve)).toEqual({ kind: 'conflict', message: '该任务已处理' });
    expect(decisionRefusal({ ...openTask, claimedBy: 'other' }, inReview, kejiju, approve)?.kind).toBe('forbidden');
    expect(decisionRefusal(openTask, { ...inReview, deciders: ['PARK_PRELIM:kj-reviewer'] }, kejiju, approve)).toEqual({ kind: 'forbidden', message: '同一人只能审核同一申请的一个环节' });
    expect(decisionRefusal(openTask, inReview, kejiju, { decision: 'approve', approvedAmount: '0' })).toMatchObject({ kind: 'invalid', path: 'approvedAmount' });
    expect(decisionRefusal(openTask, { ...inReview, duplicateWarnings: [{}] }, kejiju, approve)).toMatchObject({ kind: 'invalid', path: 'comment' });
    expect(decisionRefusal(openTask, { ...inReview, status: 'WITHDRAWN', stage: undefined }, kejiju, approve)).toEqual({ kind: 'conflict', message: '申请已不在此审核环节' });
    expect(decisionRefusal(openTask, { ...inReview, stage: 'LEADERSHIP' }, kejiju, approve)?.kind).toBe('conflict');
  });
});
