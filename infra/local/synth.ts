import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CreateTableCommandInput, StreamViewType } from '@aws-sdk/client-dynamodb';
import { App, Duration, type CfnElement } from 'aws-cdk-lib';
import type { ReviewStageDefinition } from '../../workflows/review-stages.js';
import { SubsidyStack } from '../stack.js';
import { type LocalFunction, type ScheduledRule, type Template, localFunctions, scheduledRules } from './functions.js';
import { type EventSourceMapping, eventSourceMappings } from './event-sources.js';
import { type BucketNotification, bucketNotifications } from './s3-notifications.js';

export const LOCAL_REGION = 'local';
export const LOCAL_ACCOUNT = '000000000000';
/** The region the stack is synthesized for (some ARNs carry it literally); the local stack answers as LOCAL_REGION. */
export const SYNTH_REGION = 'us-east-1';
export const LOCAL_TABLE_NAME = 'jcg-subsidy';
export const LOCAL_EXPORTS_BUCKET = 'jcg-subsidy-exports';
export const LOCAL_DOCUMENTS_BUCKET = 'jcg-subsidy-documents';
/** The template's clamd address, which the local stack replaces with the daemon it starts. */
export const LOCAL_CLAMD_PLACEHOLDER = 'clamd.local:3310';
export const LOCAL_SMTP_PLACEHOLDER = 'smtp.local';
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:jcg-subsidy`;

export const localFunctionArn = (logicalId: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
export const localSecretArn = (logicalId: string) => `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${logicalId}`;

export interface LocalDefinition {
  /** The state machine's ASL exactly as CDK synthesized it, with its CloudFormation tokens resolved. */
  definition: Record<string, unknown>;
  /** CreateTable input built from the synthesized table resource. */
  table: CreateTableCommandInput;
  /** Each function with the environment, timeout, memory and role its template gives it. */
  functions: LocalFunction[];
  /** EventBridge schedules that invoke functions. */
  schedules: ScheduledRule[];
  /** Event source mappings on the table's stream (the domain events' consumers). */
  eventSources: EventSourceMapping[];
  /** S3 event notifications that invoke functions. */
  bucketNotifications: BucketNotification[];
  /** The whole synthesized template (the local IAM evaluation reads its roles and policies). */
  template: Template;
}

export type { Template };

/**
 * Synthesizes the CDK app in-process (without bundling) and takes from the template what the local
 * stack runs: the state machine definition and the table definition. Nothing is kept by hand.
 */
export function synthesizeLocal(options: { stages?: readonly ReviewStageDefinition[]; returnDeadlineSeconds?: number; publicitySeconds?: number } = {}): LocalDefinition {
  const outdir = mkdtempSync(path.join(tmpdir(), 'jcg-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new SubsidyStack(app, 'JcgSubsidy', {
      jwtIssuer: 'https://issuer.local',
      jwtAudience: 'jcg-subsidy',
      deletionProtection: false,
      // Locally documents are scanned by Debian's clamd, as in AWS China.
      malwareScanner: 'clamav',
      clamdAddress: LOCAL_CLAMD_PLACEHOLDER,
      // Mail goes over SMTP to the local server (as in AWS China), plain on loopback; the stack fills in host, port and console URL.
      mail: { smtpHost: LOCAL_SMTP_PLACEHOLDER, smtpPort: 25, smtpRequireTls: false, consoleUrl: 'http://127.0.0.1' },
      // A region-bound stack: TableV2 renders its customer-managed key per replica region.
      env: { account: LOCAL_ACCOUNT, region: SYNTH_REGION },
      ...(options.stages ? { stages: options.stages } : {}),
      ...(options.returnDeadlineSeconds ? { returnDeadline: Duration.seconds(options.returnDeadlineSeconds) } : {}),
      ...(options.publicitySeconds ? { publicitySeconds: options.publicitySeconds } : {}),
    });
    const template = app.synth().getStackByName(stack.stackName).template as Template;
    const resources = Object.values(template.Resources) as { Type: string; Properties: Record<string, unknown> }[];
    const exportsBucket = stack.resolve(stack.getLogicalId(stack.node.findChild('Exports').node.defaultChild as CfnElement)) as string;
    const documentsBucket = stack.resolve(stack.getLogicalId(stack.node.findChild('Documents').node.defaultChild as CfnElement)) as string;
    // What a Ref in a function's environment names locally: the one table, state machine and exports bucket.
    const resolveRef = (logicalId: string, resource: { Type: string }): string | undefined => {
      if (resource.Type === 'AWS::DynamoDB::GlobalTable') return LOCAL_TABLE_NAME;
      if (resource.Type === 'AWS::StepFunctions::StateMachine') return LOCAL_STATE_MACHINE_ARN;
      if (resource.Type === 'AWS::SecretsManager::Secret') return localSecretArn(logicalId);
      if (logicalId === exportsBucket) return LOCAL_EXPORTS_BUCKET;
      if (logicalId === documentsBucket) return LOCAL_DOCUMENTS_BUCKET;
      return undefined;
    };

    const stateMachine = resources.find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    const table = resources.find((r) => r.Type === 'AWS::DynamoDB::GlobalTable');
    if (!stateMachine || !table) throw new Error('The synthesized template lacks the state machine or the table');

    return {
      definition: JSON.parse(resolveTokens(stateMachine.Properties.DefinitionString) as string),
      table: createTableInput(table.Properties),
      functions: localFunctions(template, stack.functionEntries, resolveRef, resolveTokens),
      schedules: scheduledRules(template),
      eventSources: eventSourceMappings(template),
      bucketNotifications: bucketNotifications(template, (logicalId) => (logicalId === documentsBucket ? LOCAL_DOCUMENTS_BUCKET : logicalId === exportsBucket ? LOCAL_EXPORTS_BUCKET : undefined)),
      template,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Resolves the CloudFormation intrinsics CDK leaves in a definition, for the local account and region. */
export function resolveTokens(value: unknown): unknown {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(resolveTokens);
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [fn, arg] = entries[0]!;
    switch (fn) {
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((part) => resolveTokens(part)).join(separator);
      }
      case 'Ref':
        if (arg === 'AWS::Partition') return 'aws';
        if (arg === 'AWS::Region') return LOCAL_REGION;
        if (arg === 'AWS::AccountId') return LOCAL_ACCOUNT;
        if (arg === 'AWS::URLSuffix') return 'amazonaws.com';
        break;
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = arg as [string, string];
        if (attribute === 'Arn') return localFunctionArn(logicalId);
        break;
      }
    }
  }
  throw new Error(`Cannot resolve ${JSON.stringify(value)} for the local stack`);
}

function createTableInput(properties: Record<string, unknown>): CreateTableCommandInput {
  const { AttributeDefinitions, KeySchema, GlobalSecondaryIndexes } = properties as Required<CreateTableCommandInput>;
  const stream = (properties.StreamSpecification as { StreamViewType?: StreamViewType } | undefined)?.StreamViewType;
  return {
    TableName: LOCAL_TABLE_NAME,
    AttributeDefinitions,
    KeySchema,
    GlobalSecondaryIndexes: GlobalSecondaryIndexes.map(({ IndexName, KeySchema: indexKeys, Projection }) => ({
      IndexName,
      KeySchema: indexKeys,
      Projection,
    })),
    BillingMode: 'PAY_PER_REQUEST',
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } } : {}),
  };
}
