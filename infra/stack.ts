import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing, type CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Alarm, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { CfnOutput, Duration, RemovalPolicy, Stack, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SubsidyWorkflow } from '../workflows/subsidy-workflow.js';
import type { ReviewStageDefinition } from '../workflows/review-stages.js';
import { API_GROUPS, API_ROUTES, SCHEDULED_JOBS, STEP_FUNCTIONS, type ApiGroup } from './api-routes.js';
import { ConsoleSite, type ConsoleSignIn } from './console-site.js';

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
  /** The web console on S3 + CloudFront, in front of the API (omitted: the API alone). */
  console?: { assetsDir: string; signIn: ConsoleSignIn };
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

  constructor(scope: Construct, id: string, props: SubsidyStackProps) {
    super(scope, id, props);
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
    };
    for (const step of Object.values(steps)) this.table.grantReadWriteData(step);

    this.workflow = new SubsidyWorkflow(this, 'Workflow', {
      steps,
      logGroup: new LogGroup(this, 'WorkflowLogs', { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
      ...(props.stages ? { stages: props.stages } : {}),
      ...(props.returnDeadline ? { returnDeadline: props.returnDeadline } : {}),
    });
    const stateMachineArn = this.workflow.stateMachine.stateMachineArn;

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
    });

    const api = {
      system: this.lambda('SystemApi', API_GROUPS.system.entry),
      applications: this.lambda('ApplicationsApi', API_GROUPS.applications.entry, { STATE_MACHINE_ARN: stateMachineArn, ...personKeys }),
      tasks: this.lambda('TasksApi', API_GROUPS.tasks.entry, { STATE_MACHINE_ARN: stateMachineArn }),
      batches: this.lambda('BatchesApi', API_GROUPS.batches.entry, { EXPORTS_BUCKET: exportsBucket.bucketName }),
      policy: this.lambda('PolicyApi', API_GROUPS.policy.entry, personKeys),
      admin: this.lambda('AdminApi', API_GROUPS.admin.entry, { ...personKeys, STATE_MACHINE_ARN: stateMachineArn }),
    } satisfies Record<ApiGroup, NodejsFunction>;
    this.table.grantReadWriteData(api.applications);
    this.table.grantReadWriteData(api.tasks);
    this.table.grantReadData(api.policy);
    this.table.grantReadWriteData(api.batches);
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
    this.table.grantReadWriteData(api.admin);
    for (const fn of [api.applications, api.policy, api.admin]) personKeySecret.grantRead(fn);
    this.workflow.stateMachine.grantStartExecution(api.applications);
    this.workflow.stateMachine.grantTaskResponse(api.tasks);
    this.workflow.stateMachine.grantRead(api.admin);
    this.workflow.stateMachine.grantRedriveExecution(api.admin);
    this.workflow.stateMachine.grantExecution(api.applications, 'states:StopExecution');

    const httpApi = new HttpApi(this, 'Api', {
      description: '晋创谷·晋城 subsidy applications',
      createDefaultStage: false,
      defaultAuthorizer: new HttpJwtAuthorizer('Jwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] }),
    });
    // Scheduled jobs.
    const redeliver = this.lambda('RedeliverDecisions', SCHEDULED_JOBS.redeliverDecisions.entry, { STATE_MACHINE_ARN: stateMachineArn });
    this.table.grantReadWriteData(redeliver);
    this.workflow.stateMachine.grantTaskResponse(redeliver);
    new Rule(this, 'RedeliverDecisionsSchedule', {
      schedule: Schedule.rate(Duration.minutes(SCHEDULED_JOBS.redeliverDecisions.everyMinutes)),
      targets: [new LambdaFunction(redeliver)],
    });

    new HttpStage(this, 'DefaultStage', {
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
          reason: `${route.method} ${route.path} is public by contract: a health check and the OpenAPI document, no data.`,
        });
      }
    }
    if (props.console) {
      const site = new ConsoleSite(this, 'Console', {
        ...props.console,
        httpApi,
        // Large payment files are answered with a presigned link to the exports bucket.
        connectOrigins: [`https://*.s3.${this.region}.${this.urlSuffix}`],
      });
      const consoleUrl = `https://${site.distribution.distributionDomainName}`;
      exportsBucket.addCorsRule({
        allowedMethods: [HttpMethods.GET],
        allowedOrigins: [consoleUrl],
        exposedHeaders: ['content-disposition', 'content-length'],
        maxAge: 3600,
      });
      new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl });
    }

    // Alarms: a workflow execution that failed or timed out, and server errors on the API.
    const alarms = new Topic(this, 'Alarms', { displayName: 'jcg-subsidy alarms', enforceSSL: true, masterKey: dataKey });
    const notify = new SnsAction(alarms);
    for (const [id, metric] of [
      ['WorkflowFailed', this.workflow.stateMachine.metricFailed({ period: Duration.minutes(5) })],
      ['WorkflowTimedOut', this.workflow.stateMachine.metricTimedOut({ period: Duration.minutes(5) })],
      ['Api5xx', httpApi.metricServerError({ period: Duration.minutes(5) })],
    ] as const) {
      new Alarm(this, id, { metric, threshold: 1, evaluationPeriods: 1, treatMissingData: TreatMissingData.NOT_BREACHING }).addAlarmAction(notify);
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topicArn });
    new CfnOutput(this, 'ApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachineArn });

    this.acknowledgeFindings(Object.values(steps));
  }

  private lambda(id: string, entry: string, environment: Record<string, string> = {}): NodejsFunction {
    const fn = new NodejsFunction(this, id, {
      entry: path.join(ROOT, entry),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      // Lambda's default of 3 s is below what a cold start plus a few DynamoDB calls can take.
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup: new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
      environment: {
        TABLE_NAME: this.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'jcg-subsidy',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: { format: OutputFormat.ESM, minify: true, sourceMap: true, target: 'node24', mainFields: ['module', 'main'],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    });
    this.functionEntries.push({ logicalId: this.getLogicalId(fn.node.defaultChild as CfnFunction), entry });
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
