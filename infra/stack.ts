import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiMapping, DomainName, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, Operation, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SubsidyWorkflow } from '../workflows/subsidy-workflow.js';
import type { ReviewStageDefinition } from '../workflows/review-stages.js';
import { API_GROUPS, API_ROUTES, EVENT_CONSUMERS, SCAN_FUNCTION, SCHEDULED_JOBS, STEP_FUNCTIONS, type ApiGroup } from './api-routes.js';
import { EventConsumer } from './event-consumer.js';
import { ConsoleSite, type ConsoleDomain, type ConsoleSignIn } from './console-site.js';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from '../functions/store/keys.js';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface SubsidyStackProps extends StackProps {
  /** OIDC issuer whose JWTs the API accepts (any provider: Keycloak, Authing, Cognito, …). */
  jwtIssuer: string;
  jwtAudience: string;
  /** Keep the table from being deleted with the stack (default true). */
  deletionProtection?: boolean;
  /** Review stages of the workflow (default: workflows/review-stages.ts). */
  stages?: readonly ReviewStageDefinition[];
  /** How long a returned application waits for its corrected details (default 30 days). */
  returnDeadline?: Duration;
  /** Local demos and tests only: every 公示 period closes this many seconds after publication. */
  publicitySeconds?: number;
  /** The web console on S3 + CloudFront, in front of the API (omitted: the API alone). */
  console?: {
    assetsDir: string;
    signIn: ConsoleSignIn;
    /** The console's own domain and IAM server certificate: required in AWS China, optional elsewhere. */
    domain?: ConsoleDomain;
    /** An existing CloudFront WAF web ACL (ARN) to attach, for stacks outside us-east-1. */
    webAclArn?: string;
  };
  /** A custom domain for the API, so that CloudFront reaches it there and execute-api can be switched off. */
  apiDomain?: { domainName: string; certificateArn: string };
  /** Who receives the alarms by email (the topic has no subscription otherwise). */
  alarmEmail?: string;
  /**
   * The malware scanner of uploaded documents: GuardDuty Malware Protection for S3 where the partition
   * offers it (default in `aws`), otherwise a ClamAV daemon the scan function reaches at `clamdAddress`.
   */
  malwareScanner?: 'guardduty' | 'clamav';
  /** host:port of clamd (INSTREAM) when the scanner is ClamAV. */
  clamdAddress?: string;
  /**
   * Notification mail: Amazon SES (SESv2 API) where the partition has it, otherwise (AWS China, or when
   * smtpHost is given) the SMTP relay at smtpHost:smtpPort, with credentials in the secret smtpSecretArn.
   */
  mail?: { from?: string; smtpHost?: string; smtpPort?: number; smtpSecretArn?: string; smtpRequireTls?: boolean; consoleUrl?: string };
}

/** DynamoDB actions as IAM names; a transaction's Put/Update are authorized as PutItem/UpdateItem. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';
const WRITE_ACTIONS: readonly TableAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'];

/**
 * What each function does with the table, from the commands its code sends (test/infra/stack.test.ts
 * derives the same sets from the bundles and fails when they drift).
 */
export const TABLE_ACCESS = {
  Assess: ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  OpenReviewTask: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  AwaitRevision: ['GetItem', 'PutItem', 'UpdateItem'],
  Close: ['GetItem', 'PutItem', 'UpdateItem'],
  Grant: ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  Publicity: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'],
  SystemApi: [],
  ApplicationsApi: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  TasksApi: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  BatchesApi: ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  PolicyApi: ['BatchGetItem', 'GetItem', 'Query'],
  AdminApi: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  PublicityApi: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  OutboxRelay: ['BatchGetItem', 'DeleteItem', 'GetItem', 'Query', 'UpdateItem'],
  // The in-app inbox: its API and its event consumer.
  NotificationsApi: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
  InboxConsumer: ['GetItem', 'PutItem', 'Query'],
  EmailConsumer: ['GetItem', 'PutItem', 'Query'],
  DocumentsApi: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'],
  ScanDocument: ['GetItem', 'UpdateItem'],
} as const satisfies Record<string, readonly TableAction[]>;
export type FunctionId = keyof typeof TABLE_ACCESS;

/**
 * Timeout and memory per function. API functions stay under API Gateway's 30 s integration limit;
 * the batches API gets the most memory (CPU scales with it) because an export streams the whole
 * batch through CSV/XLSX inside one request (README: very large batches may not fit in 29 s).
 */
export const FUNCTION_SIZES: Record<FunctionId, { timeout: Duration; memoryMiB: number }> = {
  Assess: { timeout: Duration.seconds(30), memoryMiB: 512 },
  OpenReviewTask: { timeout: Duration.seconds(30), memoryMiB: 512 },
  AwaitRevision: { timeout: Duration.seconds(30), memoryMiB: 256 },
  Close: { timeout: Duration.seconds(30), memoryMiB: 256 },
  Grant: { timeout: Duration.seconds(30), memoryMiB: 512 },
  Publicity: { timeout: Duration.seconds(30), memoryMiB: 256 },
  SystemApi: { timeout: Duration.seconds(10), memoryMiB: 256 },
  ApplicationsApi: { timeout: Duration.seconds(15), memoryMiB: 512 },
  TasksApi: { timeout: Duration.seconds(15), memoryMiB: 512 },
  BatchesApi: { timeout: Duration.seconds(29), memoryMiB: 1769 },
  PolicyApi: { timeout: Duration.seconds(15), memoryMiB: 512 },
  AdminApi: { timeout: Duration.seconds(29), memoryMiB: 1024 },
  PublicityApi: { timeout: Duration.seconds(29), memoryMiB: 512 },
  // Runs every 5 minutes: it must end before the next run starts.
  OutboxRelay: { timeout: Duration.minutes(4), memoryMiB: 512 },
  NotificationsApi: { timeout: Duration.seconds(10), memoryMiB: 256 },
  // A batch of up to 25 events, a few reads and writes each.
  InboxConsumer: { timeout: Duration.seconds(60), memoryMiB: 256 },
  // Up to 25 mails, each over its own SMTP connection (10 s connect, 20 s socket timeouts).
  EmailConsumer: { timeout: Duration.minutes(5), memoryMiB: 256 },
  DocumentsApi: { timeout: Duration.seconds(10), memoryMiB: 256 },
  // Holds a file of up to 20 MiB while hashing, typing and streaming it to the scanner.
  ScanDocument: { timeout: Duration.minutes(2), memoryMiB: 1024 },
};
export const API_FUNCTIONS: readonly FunctionId[] = ['SystemApi', 'ApplicationsApi', 'TasksApi', 'BatchesApi', 'PolicyApi', 'AdminApi', 'NotificationsApi', 'PublicityApi', 'DocumentsApi'];

/** What the partition of a region offers, where it differs from the standard one. */
export function partitionFeatures(region: string) {
  const partition = RegionInfo.get(region).partition ?? 'aws';
  const china = partition === 'aws-cn';
  return {
    partition,
    china,
    // Amazon SES is not offered in the China Regions: mail goes through an SMTP relay there.
    ses: !china,
    // "AWS X-Ray integration with Lambda functions is not available in the China Regions"
    // (docs.amazonaws.cn, Getting Started in China, Lambda); Step Functions tracing is off there as well.
    xray: !china,
    // CloudFront in China has no Origin Access Control (CloudFormation type absent), no default domain
    // for serving content, no ACM certificates and no WAF for CloudFront (WAF there is regional only).
    originAccessControl: !china,
    cloudFrontWaf: !china,
    customDomainRequired: china,
  };
}

/** A Lambda function as the local stack needs to know it: its logical id and its source entry. */
export interface FunctionEntry {
  logicalId: string;
  entry: string;
}

export class SubsidyStack extends Stack {
  readonly table: TableV2;
  readonly workflow: SubsidyWorkflow;
  readonly functionEntries: FunctionEntry[] = [];
  readonly functions = {} as Record<FunctionId, NodejsFunction>;
  readonly features: ReturnType<typeof partitionFeatures>;
  readonly eventConsumers: EventConsumer[] = [];

  constructor(scope: Construct, id: string, props: SubsidyStackProps) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region)) {
      throw new Error('The stack needs a region: pass -c region=<region> (or set CDK_DEFAULT_REGION); an environment-agnostic stack cannot tell the partition');
    }
    this.features = partitionFeatures(this.region);
    const deletionProtection = props.deletionProtection ?? true;

    // One customer-managed key for the data at rest: the table and the payment files.
    const dataKey = new Key(this, 'DataKey', {
      description: 'jcg-subsidy: encrypts the table and the payment files',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(dataKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection,
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // Idempotency records expire (DynamoDB deletes them some time after expiresAt).
      timeToLiveAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
      // The domain events: each event item's insert is published to the event consumers (EventConsumer).
      dynamoStream: StreamViewType.NEW_IMAGE,
      // The indexes hold keys and the few attributes lists filter on; the items themselves are read
      // from the table. Updates that touch only other attributes (assessments, decisions) then cost no
      // index writes — the benchmark showed index writes as most of an application's write units.
      globalSecondaryIndexes: ['GSI1', 'GSI2', 'GSI3'].map((indexName) => ({
        indexName,
        partitionKey: { name: `${indexName}PK`, type: AttributeType.STRING },
        sortKey: { name: `${indexName}SK`, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: ['status', 'programId', 'stage'],
      })),
    });

    const steps = {
      assess: this.lambda('Assess', STEP_FUNCTIONS.assess),
      openReviewTask: this.lambda('OpenReviewTask', STEP_FUNCTIONS.openReviewTask),
      awaitRevision: this.lambda('AwaitRevision', STEP_FUNCTIONS.awaitRevision),
      close: this.lambda('Close', STEP_FUNCTIONS.close),
      grant: this.lambda('Grant', STEP_FUNCTIONS.grant),
      publicity: this.lambda('Publicity', STEP_FUNCTIONS.publicity),
    };
    this.workflow = new SubsidyWorkflow(this, 'Workflow', {
      steps,
      tracing: this.features.xray,
      logGroup: new LogGroup(this, 'WorkflowLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
      ...(props.stages ? { stages: props.stages } : {}),
      ...(props.returnDeadline ? { returnDeadline: props.returnDeadline } : {}),
    });
    const stateMachineArn = this.workflow.stateMachine.stateMachineArn;
    // The Publicity step answers its own token (no objection holds the award). A policy of its own, not the
    // role's default one: the function does not wait for it, so the state machine can name the function.
    new Policy(this, 'PublicityTaskResponse', {
      roles: [steps.publicity.role!],
      statements: [new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: [stateMachineArn] })],
    });

    // The HMAC key that turns resident ID numbers into person keys (never stored raw).
    const personKeySecret = new Secret(this, 'PersonKeySecret', {
      description: 'HMAC key for person keys (就高不重复 ledger, credit list); rotating it re-keys every person',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(personKeySecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The secret is an HMAC key: person keys in the ledger and the credit list are derived from it, so an automatic ' +
        'rotation would make every recorded grant unreachable. It is rotated only together with a re-keying of the ledger.',
    });
    const personKeys = { PERSON_KEY_SECRET_ARN: personKeySecret.secretArn };
    // The key that seals pagination tokens (AES-GCM): a token opens only for the listing that issued it.
    const pageTokenSecret = new Secret(this, 'PageTokenSecret', {
      description: 'Key for sealing pagination tokens; rotating it only ends the paging in progress',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(pageTokenSecret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason: 'Rotation needs no rotation function here: replacing the value only makes page tokens issued before it invalid (400).',
    });
    const pageTokens = { PAGE_TOKEN_SECRET_ARN: pageTokenSecret.secretArn };

    // Payment files: kept, encrypted, never public, reached over TLS only; access is logged.
    const accessLogs = new Bucket(this, 'ExportsAccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'This bucket receives the exports bucket’s server access logs; logging it to itself would loop.',
    });
    const exportsBucket = new Bucket(this, 'Exports', {
      encryption: BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Current payment files are financial records and are kept. A version replaced by a re-export
        // is kept 10 years (会计档案管理办法: accounting records 10–30 years), then removed.
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(3653) },
      ],
    });

    // Supporting documents (申报材料): uploaded by the browser with a presigned POST under uploads/, checked
    // by ScanDocument on S3's object-created event; rejected files are moved under quarantine/, which no
    // API role may read. Kept for the retention of the application's record (README: Retention).
    const documentsBucket = new Bucket(this, 'Documents', {
      encryption: BucketEncryption.KMS,
      encryptionKey: dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // A file moved to quarantine leaves a noncurrent version behind; it goes after 30 days.
        { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(30) },
      ],
    });
    const malwareScanner = props.malwareScanner ?? (this.features.china ? 'clamav' : 'guardduty');
    const scanDocument = this.lambda('ScanDocument', SCAN_FUNCTION, {
      DOCUMENTS_BUCKET: documentsBucket.bucketName,
      MALWARE_SCANNER: malwareScanner,
      ...(malwareScanner === 'clamav' ? { CLAMD_ADDRESS: props.clamdAddress ?? 'clamd.internal:3310' } : {}),
    });
    documentsBucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(scanDocument), { prefix: 'uploads/' });
    scanDocument.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [documentsBucket.arnForObjects('uploads/*')] }));
    scanDocument.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [documentsBucket.arnForObjects('quarantine/*')] }));
    dataKey.grantEncryptDecrypt(scanDocument);
    if (malwareScanner === 'guardduty') this.guardDutyMalwareProtection(documentsBucket, dataKey, scanDocument);

    const api = {
      system: this.lambda('SystemApi', API_GROUPS.system.entry),
      applications: this.lambda('ApplicationsApi', API_GROUPS.applications.entry, { STATE_MACHINE_ARN: stateMachineArn, DOCUMENTS_BUCKET: documentsBucket.bucketName, ...personKeys, ...pageTokens }),
      tasks: this.lambda('TasksApi', API_GROUPS.tasks.entry, { STATE_MACHINE_ARN: stateMachineArn, ...pageTokens }),
      batches: this.lambda('BatchesApi', API_GROUPS.batches.entry, { EXPORTS_BUCKET: exportsBucket.bucketName, ...pageTokens }),
      policy: this.lambda('PolicyApi', API_GROUPS.policy.entry, personKeys),
      admin: this.lambda('AdminApi', API_GROUPS.admin.entry, { ...personKeys, ...pageTokens, STATE_MACHINE_ARN: stateMachineArn }),
      notifications: this.lambda('NotificationsApi', API_GROUPS.notifications.entry, pageTokens),
      publicity: this.lambda('PublicityApi', API_GROUPS.publicity.entry, {
        STATE_MACHINE_ARN: stateMachineArn,
        ...(props.publicitySeconds ? { PUBLICITY_SECONDS: String(props.publicitySeconds) } : {}),
        // Objections are limited per caller: behind CloudFront only (execute-api off) is X-Forwarded-For the caller's.
        ...(props.apiDomain && props.console ? { TRUST_FORWARDED_FOR: 'true' } : {}),
      }),
      documents: this.lambda('DocumentsApi', API_GROUPS.documents.entry, { DOCUMENTS_BUCKET: documentsBucket.bucketName }),
    } satisfies Record<ApiGroup, NodejsFunction>;
    // Only what an export needs: write (multipart) and read back payment files under batches/.
    api.batches.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [exportsBucket.arnForObjects('batches/*')],
      }),
    );
    Validations.of(api.batches).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(exportsBucket.node.defaultChild as CfnElement))}.Arn>/batches/*]`,
      reason: 'Payment files are objects named per batch under batches/; the key prefix is as narrow as the object names allow.',
    });
    // A presigned POST carries the signer's permissions: the documents API may put under uploads/ only.
    api.documents.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [documentsBucket.arnForObjects('uploads/*')] }));
    dataKey.grantEncrypt(api.documents);
    const documentsArn = `<${this.resolve(this.getLogicalId(documentsBucket.node.defaultChild as CfnElement))}.Arn>`;
    // Reviewers open documents with a presigned GET signed by the applications API (uploads/ only, never quarantine/).
    api.applications.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [documentsBucket.arnForObjects('uploads/*')] }));
    for (const fn of [api.documents, scanDocument, api.applications]) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${documentsArn}/uploads/*]`,
        reason: 'Documents are objects named uploads/<uscc>/<documentId>; each presigned POST names one key, and the scan reads the object its event names.',
      });
    }
    Validations.of(scanDocument).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${documentsArn}/quarantine/*]`,
      reason: 'Rejected files are moved under quarantine/, a prefix no API role may read.',
    });
    for (const fn of [api.applications, api.policy, api.admin]) personKeySecret.grantRead(fn);
    for (const fn of [api.applications, api.tasks, api.batches, api.admin, api.notifications]) pageTokenSecret.grantRead(fn);
    this.workflow.stateMachine.grantStartExecution(api.applications);
    // PUT /applications/{id} answers the workflow's revision wait with the corrected details.
    this.workflow.stateMachine.grantTaskResponse(api.applications);
    this.workflow.stateMachine.grantTaskResponse(api.tasks);
    this.workflow.stateMachine.grantRead(api.admin);
    this.workflow.stateMachine.grantRedriveExecution(api.admin);
    // Redriving an application whose workflow call is still in the outbox makes that call.
    this.workflow.stateMachine.grantStartExecution(api.admin);
    this.workflow.stateMachine.grantTaskResponse(api.admin);
    this.workflow.stateMachine.grantExecution(api.admin, 'states:StopExecution');
    this.workflow.stateMachine.grantExecution(api.applications, 'states:StopExecution');
    // 公示: publishing and resolving objections answer the workflow's publicity waits; so does the step itself.
    this.workflow.stateMachine.grantTaskResponse(api.publicity);

    const httpApi = new HttpApi(this, 'Api', {
      description: '晋创谷·晋城 subsidy applications',
      createDefaultStage: false,
      // Behind CloudFront on a custom domain, the default execute-api endpoint would be a way around it.
      disableExecuteApiEndpoint: Boolean(props.apiDomain && props.console),
      defaultAuthorizer: new HttpJwtAuthorizer('Jwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] }),
    });
    // Scheduled jobs.
    const relay = this.lambda('OutboxRelay', SCHEDULED_JOBS.outboxRelay.entry, { STATE_MACHINE_ARN: stateMachineArn });
    this.workflow.stateMachine.grantStartExecution(relay);
    this.workflow.stateMachine.grantTaskResponse(relay);
    this.workflow.stateMachine.grantExecution(relay, 'states:StopExecution');
    new Rule(this, 'OutboxRelaySchedule', {
      schedule: Schedule.rate(Duration.minutes(SCHEDULED_JOBS.outboxRelay.everyMinutes)),
      targets: [new LambdaFunction(relay)],
    });

    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
        ),
      },
    });
    const integrations = Object.fromEntries(
      Object.entries(api).map(([group, fn]) => [group, new HttpLambdaIntegration(`${group}Integration`, fn)]),
    );
    for (const route of API_ROUTES) {
      const [created] = httpApi.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations[route.group]!,
        ...(route.public ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (route.public) {
        Validations.of(created!).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by contract: a health check, the OpenAPI document, or 公示 (published notices and objections to them, limited per client address).`,
        });
      }
    }
    let apiOriginDomain: string | undefined;
    if (props.apiDomain) {
      const domain = new DomainName(this, 'ApiDomain', {
        domainName: props.apiDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.apiDomain.certificateArn),
      });
      new ApiMapping(this, 'ApiMapping', { api: httpApi, domainName: domain, stage });
      apiOriginDomain = domain.regionalDomainName;
    }
    let consoleUrl = props.mail?.consoleUrl ?? '';
    if (props.console) {
      const site = new ConsoleSite(this, 'Console', {
        assetsDir: props.console.assetsDir,
        signIn: props.console.signIn,
        httpApi,
        ...(apiOriginDomain ? { apiOriginDomain } : {}),
        ...(props.console.domain ? { domain: props.console.domain } : {}),
        ...(props.console.webAclArn ? { webAclArn: props.console.webAclArn } : {}),
        originAccessControl: this.features.originAccessControl,
        cloudFrontWaf: this.features.cloudFrontWaf,
        // Large payment files are answered with a presigned link to the exports bucket.
        connectOrigins: [`https://*.s3.${this.region}.${this.urlSuffix}`],
      });
      consoleUrl = `https://${props.console.domain?.domainName ?? site.distribution.distributionDomainName}`;
      // The browser posts documents straight to the bucket, and reads them through the presigned GET the API redirects to.
      documentsBucket.addCorsRule({
        allowedMethods: [HttpMethods.POST, HttpMethods.GET],
        allowedOrigins: [consoleUrl],
        allowedHeaders: ['*'],
        maxAge: 3600,
      });
      exportsBucket.addCorsRule({
        allowedMethods: [HttpMethods.GET],
        allowedOrigins: [consoleUrl],
        exposedHeaders: ['content-disposition', 'content-length'],
        maxAge: 3600,
      });
      new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl });
    }

    // Consumers of the domain events (the table's stream), one line each.
    const notify = this.alarmAction(props.alarmEmail);
    this.eventConsumers.push(
      new EventConsumer(this, 'InboxEvents', { table: this.table, fn: this.lambda('InboxConsumer', EVENT_CONSUMERS.inbox.entry), eventTypes: EVENT_CONSUMERS.inbox.eventTypes, encryptionKey: dataKey, alarmAction: notify }),
      // A mail server that is down holds the mail back (retried until the record is a day old), never loses it.
      new EventConsumer(this, 'EmailEvents', { table: this.table, fn: this.emailConsumer(props, consoleUrl), eventTypes: EVENT_CONSUMERS.email.eventTypes, encryptionKey: dataKey, alarmAction: notify, retryAttempts: 10_000 }),
    );

    this.alarms(httpApi, relay, notify);
    new CfnOutput(this, 'ApiUrl', { value: props.apiDomain ? `https://${props.apiDomain.domainName}` : httpApi.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachineArn });

    this.grantTableAccess(dataKey);
    this.acknowledgeFindings(Object.values(steps));
    if (!this.features.xray) {
      Validations.of(this.workflow.stateMachine).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SF2',
        reason:
          'X-Ray is off in AWS China: its integration with Lambda is not available in the China Regions (Getting Started with ' +
          'AWS in China, Lambda), so a trace would stop at the state machine. Execution logs (level ALL) remain.',
      });
    }
  }

  /**
   * GuardDuty Malware Protection for S3 on the documents bucket: GuardDuty scans each new object under
   * uploads/ and EventBridge brings its result to ScanDocument, which applies it like ClamAV's.
   */
  private guardDutyMalwareProtection(bucket: Bucket, dataKey: Key, scanDocument: NodejsFunction): void {
    const role = new Role(this, 'MalwareProtectionRole', {
      assumedBy: new ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3: reads and tags the documents bucket’s new objects',
    });
    // The permissions AWS documents for a malware protection plan's role (bucket, its events rule, the key).
    role.addToPolicy(
      new PolicyStatement({
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [`arn:${this.partition}:events:${this.region}:${this.account}:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    role.addToPolicy(new PolicyStatement({ actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:GetBucketLocation', 's3:ListBucket'], resources: [bucket.bucketArn] }));
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'], resources: [bucket.arnForObjects('uploads/*')] }));
    role.addToPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects('malware-protection-resource-validation-object')] }));
    dataKey.grantDecrypt(role);
    const plan = new CfnMalwareProtectionPlan(this, 'MalwareProtectionPlan', {
      role: role.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName, objectPrefixes: ['uploads/'] } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(role);
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:${this.region}:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]`,
      reason: 'GuardDuty names the EventBridge rule it manages for the plan with this prefix (AWS documentation of the plan’s role); the condition events:ManagedBy limits it to GuardDuty’s own rules.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(bucket.node.defaultChild as CfnElement))}.Arn>/uploads/*]`,
      reason: 'GuardDuty reads and tags every new object under uploads/, the prefix the plan protects.',
    });
    new Rule(this, 'MalwareScanResults', {
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Malware Protection Object Scan Result'],
        detail: { s3ObjectDetails: { bucketName: [bucket.bucketName] } },
      },
      targets: [new LambdaFunction(scanDocument)],
    });
  }

  /** Each function gets the table actions its code uses (TABLE_ACCESS), and the key use they need. */
  private grantTableAccess(dataKey: Key): void {
    for (const [id, actions] of Object.entries(TABLE_ACCESS) as [FunctionId, readonly TableAction[]][]) {
      if (actions.length === 0) continue;
      const fn = this.functions[id];
      this.table.grant(fn, ...actions.map((action) => `dynamodb:${action}`));
      if (actions.some((action) => WRITE_ACTIONS.includes(action))) dataKey.grantEncryptDecrypt(fn);
      else dataKey.grantDecrypt(fn);
    }
  }

  /** The alarm topic (email subscription from `alarmEmail`); the event consumers' alarms use it too. */
  private alarmAction(alarmEmail: string | undefined): SnsAction {
    // A key of its own: CloudWatch may use it to publish, and gains nothing on the data key.
    const alarmKey = new Key(this, 'AlarmKey', {
      description: 'jcg-subsidy: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    alarmKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'Alarms', { displayName: 'jcg-subsidy alarms', enforceSSL: true, masterKey: alarmKey });
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
    return new SnsAction(topic);
  }

  /**
   * Alarms: failed or timed-out executions, API 5xx, errors and throttles of every function, DynamoDB
   * throttling, and workflow calls the outbox relay could not deliver (it logs them at ERROR and carries
   * on, so its own error metric stays at zero).
   */
  private alarms(httpApi: HttpApi, relay: NodejsFunction, notify: SnsAction): void {
    const period = Duration.minutes(5);

    const failedDeliveries = new MetricFilter(this, 'RedeliveryFailures', {
      logGroup: relay.logGroup,
      metricNamespace: 'jcg-subsidy',
      metricName: 'RedeliveryFailures',
      filterPattern: FilterPattern.stringValue('$.level', '=', 'ERROR'),
      metricValue: '1',
      defaultValue: 0,
    });
    const metrics: [string, IMetric][] = [
      ['WorkflowFailed', this.workflow.stateMachine.metricFailed({ period })],
      ['WorkflowTimedOut', this.workflow.stateMachine.metricTimedOut({ period })],
      ['Api5xx', httpApi.metricServerError({ period })],
      // The operations the functions send (an alarm's math expression takes at most 10 metrics).
      [
        'TableThrottled',
        this.table.metricThrottledRequestsForOperations({
          period,
          operations: [Operation.GET_ITEM, Operation.BATCH_GET_ITEM, Operation.QUERY, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.TRANSACT_WRITE_ITEMS],
        }),
      ],
      ['RedeliveryFailed', failedDeliveries.metric({ period, statistic: 'Sum' })],
    ];
    for (const [id, fn] of Object.entries(this.functions)) {
      metrics.push([`${id}Errors`, fn.metricErrors({ period })], [`${id}Throttles`, fn.metricThrottles({ period })]);
    }
    for (const [id, metric] of metrics) {
      new Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(notify);
    }
  }

  private lambda(id: FunctionId, entry: string, environment: Record<string, string> = {}): NodejsFunction {
    const size = FUNCTION_SIZES[id];
    const fn = new NodejsFunction(this, id, {
      entry: path.join(ROOT, entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: size.memoryMiB,
      timeout: size.timeout,
      tracing: this.features.xray ? Tracing.ACTIVE : Tracing.DISABLED,
      logGroup: new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
      environment: {
        TABLE_NAME: this.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'jcg-subsidy',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      // externalModules []: the pinned @aws-sdk/* versions are bundled, not the runtime's own copy.
      bundling: { format: OutputFormat.ESM, minify: true, sourceMap: true, target: 'node24', mainFields: ['module', 'main'], externalModules: [],
        banner: "import { createRequire as __bannerCreateRequire } from 'module'; const require = __bannerCreateRequire(import.meta.url);" },
    });
    this.functionEntries.push({ logicalId: this.getLogicalId(fn.node.defaultChild as CfnFunction), entry });
    this.functions[id] = fn;
    return fn;
  }

  /** The notification mail consumer: SES where the partition has it, else the SMTP relay (props.mail). */
  private emailConsumer(props: SubsidyStackProps, consoleUrl: string): NodejsFunction {
    const mail = props.mail ?? {};
    const from = mail.from ?? 'noreply@jcg-subsidy.invalid';
    const ses = this.features.ses && !mail.smtpHost;
    const fn = this.lambda('EmailConsumer', EVENT_CONSUMERS.email.entry, {
      MAIL_FROM: from,
      CONSOLE_URL: consoleUrl,
      MAIL_TRANSPORT: ses ? 'ses' : 'smtp',
      ...(ses
        ? {}
        : {
            SMTP_HOST: mail.smtpHost ?? 'smtp.internal',
            SMTP_PORT: String(mail.smtpPort ?? 587),
            SMTP_REQUIRE_TLS: String(mail.smtpRequireTls ?? true),
            ...(mail.smtpSecretArn ? { SMTP_SECRET_ARN: mail.smtpSecretArn } : {}),
          }),
    });
    if (ses) {
      // Only the sender's domain identity; SES sandbox or production access is the account's (README).
      const domain = from.split('@')[1]!;
      fn.addToRolePolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [`arn:${this.partition}:ses:${this.region}:${this.account}:identity/${domain}`] }));
    } else if (mail.smtpSecretArn) {
      Secret.fromSecretCompleteArn(this, 'SmtpSecret', mail.smtpSecretArn).grantRead(fn);
    }
    return fn;
  }

  /** cdk-nag findings that are accepted, each by its full id and with its reason. */
  private acknowledgeFindings(steps: NodejsFunction[]): void {
    const logicalId = (construct: Construct) => this.resolve(this.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
    const acknowledge = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::${id}`, reason });

    acknowledge(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The Lambda service roles use AWSLambdaBasicExecutionRole, which only allows writing the function’s own logs; ' +
        'every data permission is a scoped grant on the table or the state machine.',
    );
    acknowledge(
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords and the state machine’s CloudWatch Logs delivery actions do not ' +
        'support resource-level permissions; AWS documents "*" as their only resource.',
    );
    acknowledge(
      `AwsSolutions-IAM5[Resource::<${logicalId(this.table)}.Arn>/index/*]`,
      'Queries go to the table’s own GSIs (applications by enterprise and status, open tasks by department); ' +
        'index/* is scoped to this one table.',
    );
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    const stateMachineId = logicalId(this.workflow.stateMachine);
    acknowledge(
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stateMachineId}"}]}]}:*]`,
      'Executions of this one state machine (their names are application ids): the admin reads and redrives failed ones, ' +
        'and the applications API stops the one of a withdrawn application.',
    );
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledge(
        `AwsSolutions-IAM5[Action::${action}]`,
        'CDK’s grants on the customer-managed data key: DynamoDB and S3 encryption need the GenerateDataKey and ReEncrypt ' +
          'action families, scoped to this one key.',
      );
    }
    for (const step of steps) {
      acknowledge(
        `AwsSolutions-IAM5[Resource::<${logicalId(step)}.Arn>:*]`,
        'The state machine may invoke any version of its own step function (CDK’s LambdaInvoke grant); no other function.',
      );
    }
  }
}
