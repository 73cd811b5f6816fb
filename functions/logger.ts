import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs. Log ids, statuses and codes — never request bodies, details or ID numbers.
 * The level comes from POWERTOOLS_LOG_LEVEL.
 */
export const logger = new Logger({ serviceName: 'jcg-subsidy' });

/** What ties a log line to one application and one workflow execution. */
export interface CorrelationKeys {
  /** The workflow step or scheduled job that logs. */
  step: string;
  applicationId?: string;
  /** The Step Functions execution ARN ($$.Execution.Id), passed in the step's payload. */
  executionId?: string;
}

/**
 * Runs one invocation of a step or job with its correlation keys on every log line, and logs how it
 * ended. Keys of the previous invocation of a warm container are dropped first.
 */
export async function withCorrelation<T>(keys: CorrelationKeys, run: () => Promise<T>): Promise<T> {
  logger.resetKeys();
  logger.appendKeys({ ...keys });
  if (keys.executionId) logger.setCorrelationId(keys.executionId);
  try {
    const result = await run();
    logger.info(`${keys.step} done`);
    return result;
  } catch (error) {
    logger.error(`${keys.step} failed`, { error: error as Error });
    throw error;
  }
}
