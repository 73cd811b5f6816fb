import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs. Log ids, statuses and codes — never request bodies, details or ID numbers.
 * The level comes from POWERTOOLS_LOG_LEVEL.
 */
export const logger = new Logger({ serviceName: 'jcg-subsidy' });
