import type { CreditSubjectType } from '../domain/vocabulary.js';
/**
 * The single-table key design: every PK/SK and index key the store writes or queries is built here.
 * Items are keyed PK/SK; three overloaded GSIs serve the routes' access paths so that no request Scans:
 *   GSI1  applications by enterprise      ENTERPRISE#<uscc>      / <createdAt>#<id>
 *         grants by subject               GRANTS#<subject>       / <benefitKey>#<grantId>
 *   GSI2  applications by status          APP_STATUS#<status>    / <createdAt>#<id>
 *         open review tasks by dept       OPEN_TASKS#<dept>      / <createdAt>#<taskId>   (sparse)
 *   GSI3  all applications                APPLICATIONS           / <createdAt>#<id>
 *         the park roster                 REGISTRY               / <uscc>
 *         the credit list                 CREDIT                 / <listedOn>#<subjectType>#<subjectId>
 *         payment batches               BATCHES                / <createdAt>#<batchId>
 *   GSI2  workflow calls not yet delivered OUTBOX              / <createdAt>#<outboxId>  (sparse)
 */
export const GSI = { byEnterprise: 'GSI1', byStatus: 'GSI2', all: 'GSI3' } as const;

/** The table's TTL attribute (epoch seconds); idempotency records and rate counters carry it. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiresAt';
/**
 * How long an Idempotency-Key is remembered: 24 hours covers a client's retries and a clerk sending the
 * same form again the same day; a key reused after that starts a new application.
 */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

/** The partition values queries read; each is written by one of `keys` below. */
export const partitions = {
  /** GSI1 */
  enterpriseApplications: (uscc: string) => `ENTERPRISE#${uscc}`,
  grantsOfSubject: (subject: string) => `GRANTS#${subject}`,
  /** GSI2 */
  applicationsInStatus: (status: string) => `APP_STATUS#${status}`,
  openTasks: (dept: string) => `OPEN_TASKS#${dept}`,
  outbox: 'OUTBOX',
  /** GSI3 */
  allApplications: 'APPLICATIONS',
  registry: 'REGISTRY',
  credit: 'CREDIT',
  batches: 'BATCHES',
  /** Table partitions read whole */
  batch: (batchId: string) => `BATCH#${batchId}`,
  benefit: (benefitKey: string) => `BENEFIT#${benefitKey}`,
  parameters: 'PARAMETERS',
  subjectMarks: 'SUBJECT_MARKS',
  /** 公示: notices (GSI3) and objections by department (GSI2) */
  notices: 'NOTICES',
  objections: (dept: string) => `OBJECTIONS#${dept}`,
} as const;

export const keys = {
  application: (id: string) => ({ PK: `APP#${id}`, SK: 'APPLICATION' }),
  applicationIndexes: (a: { id: string; uscc: string; status: string; createdAt: string }) => ({
    GSI1PK: partitions.enterpriseApplications(a.uscc),
    GSI1SK: `${a.createdAt}#${a.id}`,
    GSI2PK: partitions.applicationsInStatus(a.status),
    GSI2SK: `${a.createdAt}#${a.id}`,
    GSI3PK: partitions.allApplications,
    GSI3SK: `${a.createdAt}#${a.id}`,
  }),
  /** Rewritten on every change of status. */
  applicationStatusIndex: (status: string) => ({ GSI2PK: partitions.applicationsInStatus(status) }),
  event: (applicationId: string, at: string, eventId: string) => ({ PK: `APP#${applicationId}`, SK: `EVENT#${at}#${eventId}` }),
  eventPrefix: 'EVENT#',
  idempotency: (uscc: string, key: string) => ({ PK: `IDEMPOTENCY#${uscc}#${key}`, SK: 'IDEMPOTENCY' }),
  task: (taskId: string) => ({ PK: `TASK#${taskId}`, SK: 'TASK' }),
  openTaskIndex: (t: { dept: string; createdAt: string; taskId: string }) => ({
    GSI2PK: partitions.openTasks(t.dept),
    GSI2SK: `${t.createdAt}#${t.taskId}`,
  }),
  outbox: (id: string) => ({ PK: `OUTBOX#${id}`, SK: 'OUTBOX' }),
  outboxIndex: (o: { id: string; createdAt: string }) => ({ GSI2PK: partitions.outbox, GSI2SK: `${o.createdAt}#${o.id}` }),
  registry: (uscc: string) => ({ PK: `ENTERPRISE#${uscc}`, SK: 'REGISTRY' }),
  registryIndex: (uscc: string) => ({ GSI3PK: partitions.registry, GSI3SK: uscc }),
  creditRestriction: (subjectType: CreditSubjectType, subjectId: string) => ({
    PK: `CREDIT#${subjectType}#${subjectId}`,
    SK: 'RESTRICTION',
  }),
  creditIndex: (r: { subjectType: string; subjectId: string; listedOn: string }) => ({
    GSI3PK: partitions.credit,
    GSI3SK: `${r.listedOn}#${r.subjectType}#${r.subjectId}`,
  }),
  benefitTotal: (benefitKey: string) => ({ PK: partitions.benefit(benefitKey), SK: 'TOTAL' }),
  benefitGrant: (benefitKey: string, grantId: string) => ({ PK: partitions.benefit(benefitKey), SK: `GRANT#${grantId}` }),
  benefitGrantPrefix: 'GRANT#',
  /** A grant by its subject (`subjectOf(benefitKey)`), so that all of a person's grants are read at once. */
  grantIndex: (subject: string, benefitKey: string, grantId: string) => ({ GSI1PK: partitions.grantsOfSubject(subject), GSI1SK: `${benefitKey}#${grantId}` }),
  importedGrant: (grantId: string) => ({ PK: `IMPORTED_GRANT#${grantId}`, SK: 'IMPORTED_GRANT' }),
  batch: (batchId: string) => ({ PK: partitions.batch(batchId), SK: 'BATCH' }),
  batchIndex: (b: { batchId: string; createdAt: string }) => ({ GSI3PK: partitions.batches, GSI3SK: `${b.createdAt}#${b.batchId}` }),
  batchItem: (batchId: string, applicationId: string) => ({ PK: partitions.batch(batchId), SK: `ITEM#${applicationId}` }),
  batchItemPrefix: 'ITEM#',
  batchEvent: (batchId: string, at: string, eventId: string) => ({ PK: partitions.batch(batchId), SK: `EVENT#${at}#${eventId}` }),
  parameterOverride: (name: string, from: string) => ({ PK: partitions.parameters, SK: `${name}#${from}` }),
  subjectMarks: (applicationId: string) => ({ PK: partitions.subjectMarks, SK: applicationId }),
  /** One inbox's notifications (`inbox`: enterprise#<uscc>, dept#<dept>, user#<sub>); ids are ULIDs, so SK order is time order. */
  notification: (inbox: string, notificationId: string) => ({ PK: `INBOX#${inbox}`, SK: `NOTE#${notificationId}` }),
  notificationPrefix: 'NOTE#',
  /** That one mail (event, address) was sent: written after the send, read before it. */
  mailSent: (eventId: string, address: string) => ({ PK: `MAIL#${eventId}`, SK: `TO#${address}` }),
  /** An enterprise's notification preferences (which kinds it gets by email). */
  mailPreferences: (uscc: string) => ({ PK: `ENTERPRISE#${uscc}`, SK: 'MAIL_PREFERENCES' }),
  notice: (noticeId: string) => ({ PK: `NOTICE#${noticeId}`, SK: 'NOTICE' }),
  noticeIndex: (n: { noticeId: string; publishedAt: string }) => ({ GSI3PK: partitions.notices, GSI3SK: `${n.publishedAt}#${n.noticeId}` }),
  objection: (objectionId: string) => ({ PK: `OBJECTION#${objectionId}`, SK: 'OBJECTION' }),
  objectionIndex: (o: { dept: string; createdAt: string; objectionId: string }) => ({ GSI2PK: partitions.objections(o.dept), GSI2SK: `${o.createdAt}#${o.objectionId}` }),
  /** A fixed-window request counter (expires with the table's TTL attribute). */
  rateCounter: (scope: string, client: string, window: number) => ({ PK: `RATE#${scope}#${client}`, SK: `WINDOW#${window}` }),
  /** A supporting document (申报材料); its S3 object is `documentObjectKey`. */
  document: (documentId: string) => ({ PK: `DOC#${documentId}`, SK: 'DOCUMENT' }),
};

/** Where a document's bytes live: under its enterprise, so a presigned POST names one key of one enterprise. */
export const documentObjectKey = (uscc: string, documentId: string) => `uploads/${uscc}/${documentId}`;
/** Where a rejected file is moved: a prefix no API role may read. */
export const quarantineObjectKey = (objectKey: string) => `quarantine/${objectKey}`;
