import { type ApplicationStatus, type EventType, WITHDRAWABLE_STATUSES } from './vocabulary.js';

/**
 * An application's life as one table: for each transition, the statuses it leaves from, the status it
 * leads to, the event it records on the trail, the fields it must set, may set, and clears. The store applies transitions by name only and
 * refuses any other change (TransitionRefused, a 409 at the API); no caller picks fields to clear.
 * Entries marked `planned` (免申即享) have no caller yet.
 */

/** The application's fields that transitions write. */
export const LIFECYCLE_FIELDS = [
  'stage',
  'details',
  'assessment',
  'duplicateWarnings',
  'amountUnderReview',
  'approvedAmount',
  'batchId',
  'openTaskId',
  'deciders',
  'returnComment',
  'revisionToken',
  'revisionDueAt',
  'withdrawal',
  'documents',
  'promises',
  'documentIssues',
  'batchedAt',
  'paidAt',
  'paymentReference',
  'paymentFailure',
  'reservations',
  'noticeId',
  'publicityClosesAt',
  'publicityToken',
  'publicityHeld',
  'openObjections',
  'proposalExpiresOn',
] as const;
export type LifecycleField = (typeof LIFECYCLE_FIELDS)[number];

/**
 * The 公示 path's bookkeeping: written without a change of status while an award awaits or is in
 * publicity (store/publicity.ts) — the workflow's token, open objections, an award held past its period.
 */
export const PUBLICITY_BOOKKEEPING = { statuses: ['AWAITING_PUBLICITY', 'PUBLICIZING'], fields: ['publicityToken', 'publicityHeld', 'openObjections'] } as const satisfies {
  statuses: readonly ApplicationStatus[];
  fields: readonly LifecycleField[];
};

export interface Transition {
  from: readonly ApplicationStatus[];
  to: ApplicationStatus;
  /** The audit event written with it (a planned transition may not have its event type yet). */
  event?: EventType;
  sets: readonly LifecycleField[];
  /** Fields written only in some cases (a lowered amount, a return comment). */
  may?: readonly LifecycleField[];
  clears: readonly LifecycleField[];
  /** Declared for the second round's work (API.md); nothing applies it yet. */
  planned?: 'publicity' | 'proposals';
}

/** How an application comes to exist, and the status it starts in. */
export const INITIAL_STATUSES = {
  submit: { status: 'SUBMITTED', sets: ['details'], may: ['documents', 'promises'] },
  propose: { status: 'PROPOSED', sets: ['details', 'assessment', 'proposalExpiresOn'], planned: 'proposals' },
} as const satisfies Record<string, { status: ApplicationStatus; sets: readonly LifecycleField[]; may?: readonly LifecycleField[]; planned?: Transition['planned'] }>;

export const TRANSITIONS = {
  /** Assess: eligible, the amount goes to review. */
  assess: { from: ['SUBMITTED'], to: 'SUBMITTED', event: 'ASSESSED', sets: ['assessment', 'amountUnderReview', 'duplicateWarnings'], clears: [] },
  /** Assess: not eligible, the application ends. */
  assessIneligible: { from: ['SUBMITTED'], to: 'INELIGIBLE', event: 'ASSESSED', sets: ['assessment'], clears: [] },
  /** A review stage opens its task. */
  openTask: { from: ['SUBMITTED', 'IN_REVIEW'], to: 'IN_REVIEW', event: 'TASK_OPENED', sets: ['stage', 'amountUnderReview', 'openTaskId'], clears: [] },
  /** A reviewer decides the open task; the workflow then moves on. */
  decide: { from: ['IN_REVIEW'], to: 'IN_REVIEW', event: 'DECIDED', sets: ['deciders'], may: ['amountUnderReview', 'returnComment', 'documentIssues'], clears: ['openTaskId'] },
  /** After a `return` decision: waits for the corrected details until the deadline. */
  return: { from: ['IN_REVIEW'], to: 'RETURNED', event: 'RETURNED', sets: ['revisionToken', 'revisionDueAt'], clears: ['stage'] },
  /** The enterprise sends the corrected details; the application is assessed again. */
  resubmit: {
    from: ['RETURNED'],
    to: 'SUBMITTED',
    event: 'RESUBMITTED',
    sets: ['details'],
    // Documents the reviewer named are replaced (the API checks each is new and CLEAN).
    may: ['documents'],
    clears: ['assessment', 'amountUnderReview', 'duplicateWarnings', 'revisionToken', 'revisionDueAt', 'returnComment', 'documentIssues'],
  },
  /** The owner withdraws before approval. */
  withdraw: { from: WITHDRAWABLE_STATUSES, to: 'WITHDRAWN', event: 'WITHDRAWN', sets: ['withdrawal'], clears: ['stage', 'openTaskId', 'revisionToken', 'revisionDueAt'] },
  /** The revision did not come back in time. */
  expireRevision: { from: ['RETURNED'], to: 'WITHDRAWN', event: 'WITHDRAWN', sets: [], clears: ['revisionToken', 'revisionDueAt'] },
  /** After a `reject` decision. */
  reject: { from: ['IN_REVIEW'], to: 'REJECTED', event: 'REJECTED', sets: [], clears: ['stage'] },
  /** Grant finds the subject listed 严重失信, or nothing payable left (就高不重复). */
  grantIneligible: { from: ['IN_REVIEW'], to: 'INELIGIBLE', event: 'INELIGIBLE', sets: [], clears: ['stage'] },
  /** Finance puts an approved (or failed) payment in a batch. */
  batch: { from: ['APPROVED', 'PAYMENT_FAILED'], to: 'BATCHED', event: 'BATCHED', sets: ['batchId', 'batchedAt'], clears: ['paymentFailure'] },
  paid: { from: ['BATCHED'], to: 'PAID', event: 'PAID', sets: ['paidAt', 'paymentReference'], clears: [] },
  /** A failed payment goes back to finance's pool. */
  paymentFailed: { from: ['BATCHED'], to: 'PAYMENT_FAILED', event: 'PAYMENT_FAILED', sets: ['paymentFailure'], clears: ['batchId'] },

  /** Grant after the last stage once 公示 is in place: the award waits for a notice (API.md). */
  grantForPublicity: { from: ['IN_REVIEW'], to: 'AWAITING_PUBLICITY', event: 'GRANTED', sets: ['approvedAmount', 'reservations'], clears: ['stage'] },
  /** In a published notice; the period's end is when objections stop and the workflow's Wait ends. */
  publicize: { from: ['AWAITING_PUBLICITY'], to: 'PUBLICIZING', event: 'NOTICE_PUBLISHED', sets: ['noticeId', 'publicityClosesAt', 'openObjections'], may: ['publicityToken'], clears: [] },
  /** At the notice's end with no open or upheld objection (or when the last objection is dismissed): payable. */
  publicityPassed: { from: ['PUBLICIZING'], to: 'APPROVED', event: 'PUBLICITY_ENDED', sets: [], may: ['openObjections'], clears: ['publicityToken', 'publicityHeld'] },
  /** An upheld objection; the ledger reservation is released with it. */
  objectionUpheld: { from: ['PUBLICIZING'], to: 'REJECTED', event: 'OBJECTION_RESOLVED', sets: [], may: ['openObjections'], clears: ['publicityToken', 'publicityHeld'] },
  /** 免申即享: the owner confirms a proposed award and it enters review. */
  confirmProposal: { from: ['PROPOSED'], to: 'SUBMITTED', sets: [], clears: ['proposalExpiresOn'], planned: 'proposals' },
  expireProposal: { from: ['PROPOSED'], to: 'EXPIRED', sets: [], clears: [], planned: 'proposals' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;
/** The event type a transition records (never for a planned transition without one). */
export type EventOf<N extends TransitionName> = (typeof TRANSITIONS)[N] extends { event: infer E extends EventType } ? E : never;
/** The fields a transition must set. */
export type SetsOf<N extends TransitionName> = (typeof TRANSITIONS)[N]['sets'][number];
/** The fields a transition may set. */
export type MayOf<N extends TransitionName> = (typeof TRANSITIONS)[N] extends { may: readonly (infer F extends LifecycleField)[] } ? F : never;

/** Statuses with no way out. */
export const TERMINAL_STATUSES = ['INELIGIBLE', 'REJECTED', 'WITHDRAWN', 'PAID', 'EXPIRED'] as const satisfies readonly ApplicationStatus[];

/** A transition that the table does not allow from the application's status. */
export class TransitionRefused extends Error {
  constructor(
    readonly transition: string,
    readonly status: ApplicationStatus,
  ) {
    super(`Transition ${transition} is not allowed from ${status}`);
    this.name = 'TransitionRefused';
  }
}

const transitionOf = (name: TransitionName): Transition => TRANSITIONS[name];

/** The event a transition records; a planned one without its event type cannot be applied yet. */
export function eventOf<N extends TransitionName>(name: N): EventOf<N> {
  const event = transitionOf(name).event;
  if (!event) throw new Error(`Transition ${name} has no event type yet`);
  return event as EventOf<N>;
}

export function allows(status: ApplicationStatus, name: TransitionName): boolean {
  return transitionOf(name).from.includes(status);
}

/**
 * What applying `name` to an application in `status` writes: the target status, and the fields to
 * remove. `fields` must be the transition's own (set or may set); anything else is refused.
 */
export function plan(status: ApplicationStatus, name: TransitionName, fields: readonly string[]): { to: ApplicationStatus; clears: readonly LifecycleField[] } {
  const transition = transitionOf(name);
  if (!transition.from.includes(status)) throw new TransitionRefused(name, status);
  const allowed = new Set<string>([...transition.sets, ...(transition.may ?? [])]);
  const foreign = fields.filter((field) => !allowed.has(field));
  if (foreign.length > 0) throw new Error(`Transition ${name} does not write ${foreign.join(', ')}`);
  const missing = transition.sets.filter((field) => !fields.includes(field));
  if (missing.length > 0) throw new Error(`Transition ${name} must set ${missing.join(', ')}`);
  return { to: transition.to, clears: transition.clears };
}
