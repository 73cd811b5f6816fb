import type { CreditSubjectType } from '../domain/vocabulary.js';
/**
 * The single-table key design, in one place. Items are keyed PK/SK; three overloaded GSIs serve the
 * routes' access paths so that no request Scans:
 *   GSI1  applications by enterprise      ENTERPRISE#<uscc>      / <createdAt>#<id>
 *   GSI2  applications by status          APP_STATUS#<status>    / <createdAt>#<id>
 *         open review tasks by dept       OPEN_TASKS#<dept>      / <createdAt>#<taskId>   (sparse)
 *   GSI3  all applications                APPLICATIONS           / <createdAt>#<id>
 *         the park roster                 REGISTRY               / <uscc>
 *         the credit list                 CREDIT                 / <listedOn>#<subjectType>#<subjectId>
 *   GSI2  workflow calls not yet delivered OUTBOX              / <createdAt>#<outboxId>  (sparse)
 */
export const GSI = { byEnterprise: 'GSI1', byStatus: 'GSI2', all: 'GSI3' } as const;

/** The table's TTL attribute (epoch seconds); only idempotency records carry it. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiresAt';
/**
 * How long an Idempotency-Key is remembered: 24 hours covers a client's retries and a clerk sending the
 * same form again the same day; a key reused after that starts a new application.
 */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

export const keys = {
  application: (id: string) => ({ PK: `APP#${id}`, SK: 'APPLICATION' }),
  applicationIndexes: (a: { id: string; uscc: string; status: string; createdAt: string }) => ({
    GSI1PK: `ENTERPRISE#${a.uscc}`,
    GSI1SK: `${a.createdAt}#${a.id}`,
    GSI2PK: `APP_STATUS#${a.status}`,
    GSI2SK: `${a.createdAt}#${a.id}`,
    GSI3PK: 'APPLICATIONS',
    GSI3SK: `${a.createdAt}#${a.id}`,
  }),
  event: (applicationId: string, at: string, eventId: string) => ({ PK: `APP#${applicationId}`, SK: `EVENT#${at}#${eventId}` }),
  eventPrefix: 'EVENT#',
  idempotency: (uscc: string, key: string) => ({ PK: `IDEMPOTENCY#${uscc}#${key}`, SK: 'IDEMPOTENCY' }),
  task: (taskId: string) => ({ PK: `TASK#${taskId}`, SK: 'TASK' }),
  openTaskIndex: (t: { dept: string; createdAt: string; taskId: string }) => ({
    GSI2PK: `OPEN_TASKS#${t.dept}`,
    GSI2SK: `${t.createdAt}#${t.taskId}`,
  }),
  outbox: (id: string) => ({ PK: `OUTBOX#${id}`, SK: 'OUTBOX' }),
  outboxIndex: (o: { id: string; createdAt: string }) => ({ GSI2PK: 'OUTBOX', GSI2SK: `${o.createdAt}#${o.id}` }),
  registry: (uscc: string) => ({ PK: `ENTERPRISE#${uscc}`, SK: 'REGISTRY' }),
  registryIndex: (uscc: string) => ({ GSI3PK: 'REGISTRY', GSI3SK: uscc }),
  creditRestriction: (subjectType: CreditSubjectType, subjectId: string) => ({
    PK: `CREDIT#${subjectType}#${subjectId}`,
    SK: 'RESTRICTION',
  }),
  creditIndex: (r: { subjectType: string; subjectId: string; listedOn: string }) => ({
    GSI3PK: 'CREDIT',
    GSI3SK: `${r.listedOn}#${r.subjectType}#${r.subjectId}`,
  }),
  benefit: (benefitKey: string) => `BENEFIT#${benefitKey}`,
  benefitTotal: (benefitKey: string) => ({ PK: `BENEFIT#${benefitKey}`, SK: 'TOTAL' }),
  benefitGrant: (benefitKey: string, grantId: string) => ({ PK: `BENEFIT#${benefitKey}`, SK: `GRANT#${grantId}` }),
};
