import { ENDPOINTS, type EndpointId } from '../schemas/api.js';
import { EMAIL_EVENT_TYPES, INBOX_EVENT_TYPES } from '../functions/domain/notifications.js';
import type { EventType } from '../functions/domain/vocabulary.js';

/**
 * Which Lambda serves which endpoint: one function per route group. CDK wires API Gateway from this
 * table and the local gateway routes by it, so the two cannot disagree.
 */
export const API_GROUPS = {
  system: { entry: 'functions/api/system.ts', endpoints: ['health', 'openapi'] },
  applications: {
    entry: 'functions/api/applications.ts',
    endpoints: ['createApplication', 'listApplications', 'getApplication', 'listApplicationEvents', 'resubmitApplication', 'withdrawApplication', 'getApplicationDocument'],
  },
  tasks: { entry: 'functions/api/tasks.ts', endpoints: ['listTasks', 'decideTask', 'claimTask', 'unclaimTask'] },
  batches: { entry: 'functions/api/batches.ts', endpoints: ['createBatch', 'listBatches', 'getBatch', 'exportBatch', 'recordPayments'] },
  policy: { entry: 'functions/api/policy.ts', endpoints: ['listPrograms', 'createQuote'] },
  documents: { entry: 'functions/api/documents.ts', endpoints: ['createDocument', 'getDocument', 'listPromiseChecks'] },
  admin: {
    entry: 'functions/api/admin.ts',
    endpoints: ['listRegistry', 'getRegistryEntry', 'putRegistryEntry', 'putParameter', 'importGrants', 'listCreditRestrictions', 'putCreditRestrictions', 'listWorkflowFailures', 'redriveWorkflow'],
  },
  notifications: { entry: 'functions/api/notifications.ts', endpoints: ['listNotifications', 'readNotification', 'getNotificationPreferences', 'putNotificationPreferences'] },
  publicity: {
    entry: 'functions/api/publicity.ts',
    endpoints: ['publishNotice', 'listPublicNotices', 'getPublicNotice', 'postObjection', 'listObjections', 'resolveObjection'],
  },
} as const satisfies Record<string, { entry: string; endpoints: readonly EndpointId[] }>;

export type ApiGroup = keyof typeof API_GROUPS;

export interface ApiRoute {
  method: string;
  path: string;
  group: ApiGroup;
  public: boolean;
}

export const API_ROUTES: ApiRoute[] = Object.entries(API_GROUPS).flatMap(([group, { endpoints }]) =>
  endpoints.map((id) => {
    const endpoint = ENDPOINTS[id];
    return { method: endpoint.method, path: endpoint.path, group: group as ApiGroup, public: endpoint.roles === 'public' };
  }),
);

/** The workflow's step functions. */
export const STEP_FUNCTIONS = {
  assess: 'functions/steps/assess.ts',
  openReviewTask: 'functions/steps/open-review-task.ts',
  awaitRevision: 'functions/steps/await-revision.ts',
  close: 'functions/steps/close.ts',
  grant: 'functions/steps/grant.ts',
  publicity: 'functions/steps/publicity.ts',
} as const;

/** Jobs run on a schedule: by EventBridge in AWS, by a timer in the local stack. */
export const SCHEDULED_JOBS = {
  outboxRelay: { entry: 'functions/jobs/outbox-relay.ts', everyMinutes: 5 },
} as const;

/**
 * Consumers of the table's stream (domain events), each a Lambda behind an event source mapping that
 * lets through only event items of the listed types (infra/event-consumer.ts; run locally by
 * infra/local/event-sources.ts).
 */
export const EVENT_CONSUMERS = {
  inbox: { entry: 'functions/events/inbox.ts', eventTypes: INBOX_EVENT_TYPES },
  email: { entry: 'functions/events/email.ts', eventTypes: EMAIL_EVENT_TYPES },
} as const satisfies Record<string, { entry: string; eventTypes: readonly EventType[] }>;
/** Checks each uploaded document (S3's object-created event; GuardDuty's result where it scans). */
export const SCAN_FUNCTION = 'functions/scan/scan-document.ts';
