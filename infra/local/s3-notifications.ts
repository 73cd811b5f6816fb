import { randomUUID } from 'node:crypto';
import type { Template } from './functions.js';

/** One S3 event notification of the template: objects created under `prefix` in `bucket` invoke the function. */
export interface BucketNotification {
  bucket: string;
  functionLogicalId: string;
  events: string[];
  prefix: string;
  suffix: string;
}

/** CDK's Custom::S3BucketNotifications resources, read as the local stack delivers them. */
export function bucketNotifications(template: Template, bucketName: (logicalId: string) => string | undefined): BucketNotification[] {
  const found: BucketNotification[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'Custom::S3BucketNotifications') continue;
    const ref = (resource.Properties?.BucketName as { Ref?: string } | undefined)?.Ref;
    const bucket = ref ? bucketName(ref) : undefined;
    if (!bucket) continue;
    const configuration = resource.Properties?.NotificationConfiguration as { LambdaFunctionConfigurations?: Record<string, any>[] } | undefined;
    for (const target of configuration?.LambdaFunctionConfigurations ?? []) {
      const rules = (target.Filter?.Key?.FilterRules ?? []) as { Name: string; Value: string }[];
      found.push({
        bucket,
        functionLogicalId: target.LambdaFunctionArn['Fn::GetAtt'][0],
        events: target.Events,
        prefix: rules.find((r) => r.Name.toLowerCase() === 'prefix')?.Value ?? '',
        suffix: rules.find((r) => r.Name.toLowerCase() === 'suffix')?.Value ?? '',
      });
    }
  }
  return found;
}

/** Whether an event name (`s3:ObjectCreated:Post`) matches a configured one (`s3:ObjectCreated:*`). */
export const eventMatches = (configured: string, eventName: string) =>
  configured === eventName || (configured.endsWith(':*') && eventName.startsWith(configured.slice(0, -1)));

/** The event S3 sends to Lambda for one object (keys URL-encoded, spaces as +). */
export function s3Event(where: { region: string }, bucket: string, key: string, eventName: string, size: number, eTag: string) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: where.region,
        eventTime: new Date().toISOString(),
        eventName: eventName.replace(/^s3:/, ''),
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local',
          bucket: { name: bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'), size, eTag: eTag.replace(/"/g, ''), sequencer: Date.now().toString(16).toUpperCase() },
        },
      },
    ],
  };
}
