import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client every store module uses. The SDK retries throttling and transient errors with
 * backoff (standard mode); the endpoint comes from the environment (AWS_ENDPOINT_URL_DYNAMODB locally).
 */
export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 6, retryMode: 'standard' }), {
  marshallOptions: { removeUndefinedValues: true },
});
