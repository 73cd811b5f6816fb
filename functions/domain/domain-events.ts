import type { Decision, EventType, ReviewStage } from './vocabulary.js';

/**
 * The domain events: every audit event an application's trail gets is also published, through the
 * table's DynamoDB Stream, to the event consumers. This is what each type carries (its `data`); the
 * writers (`store/events.ts` eventPut) are checked against it, so a consumer can rely on it.
 * Amounts are decimal strings.
 */
export interface EventData {
  SUBMITTED: { programId: string };
  ASSESSED: { eligible: boolean; amount: string; reasons: readonly unknown[]; parametersUsed?: unknown; duplicateWarnings?: readonly unknown[] };
  TASK_OPENED: { taskId: string; stage: ReviewStage; dept: string; amount: string; dueAt: string };
  CLAIMED: { taskId: string; stage: ReviewStage };
  UNCLAIMED: { taskId: string; stage: ReviewStage };
  DECIDED: { taskId: string; stage: ReviewStage; decision: Decision; amount: string; comment?: string };
  REJECTED: { stage?: ReviewStage | undefined };
  GRANTED: { amount: string; benefitKeys: unknown; reducedFrom?: string; reason?: string };
  INELIGIBLE: { code: string; message: string };
  RETURNED: { stage?: ReviewStage | undefined; comment?: string | undefined; revisionDueAt: string };
  /** `documents`: those replaced at the reviewer's request. */
  RESUBMITTED: { documents?: { docType: string; documentId: string }[] };
  WITHDRAWN: { reason?: string | undefined; stage?: ReviewStage | undefined };
  BATCHED: { batchId: string; amount: string };
  PAID: { batchId: string; amount: string; reference?: string | undefined };
  PAYMENT_FAILED: { batchId: string; amount: string; reason?: string | undefined };
  /** A reviewer or the owner opened a supporting document. */
  DOCUMENT_VIEWED: { documentId: string; docType: string };
  // 公示 (publicity): the objector's name and contact stay on the objection, never on the trail.
  NOTICE_PUBLISHED: { noticeId: string; itemNo: number; startsOn: string; endsOn: string };
  OBJECTION_RECEIVED: { objectionId: string; noticeId: string };
  OBJECTION_RESOLVED: { objectionId: string; outcome: 'dismissed' | 'upheld'; comment: string };
  /** `held`: the period is over but an open objection holds the award. */
  PUBLICITY_ENDED: { noticeId?: string | undefined; held: boolean; openObjections?: number | undefined };
}
// Every event type has its payload here, and nothing else: else this does not compile.
const dataMatchesVocabulary: [keyof EventData, EventType] extends [EventType, keyof EventData] ? true : never = true;
void dataMatchesVocabulary;

/** One published event: its id is unique and stable across redeliveries (consumers key on it). */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { eventId: string; applicationId: string; type: K; at: string; actor: string; data: EventData[K] };
}[T];
