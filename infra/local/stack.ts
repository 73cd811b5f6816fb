import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';
import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { ReviewStageDefinition } from '../../workflows/review-stages.js';
import { requireNodeMajor } from '../runtime.js';
import { API_GROUPS, EVENT_CONSUMERS, SCAN_FUNCTION, SCHEDULED_JOBS, STEP_FUNCTIONS } from '../api-routes.js';
import { startClamd } from './clamd.js';
import { type LocalSmtp, startLocalSmtp } from './smtp.js';
import { eventMatches, s3Event } from './s3-notifications.js';
import { bundleFunctions } from './bundle.js';
import { LocalCredentials } from './credentials.js';
import { freePort, startDynamoDbLocal } from './dynamodb-local.js';
import { type CapacityMeter, startDynamoDbProxy } from './dynamodb-proxy.js';
import { startGateway } from './gateway.js';
import { LocalIam } from './iam.js';
import { type LocalKeys, type TrustedIssuer, loadOrCreateKeys, loadOrCreatePersonKeySecret, loadOrCreateSecret } from './jwt.js';
import { type CredentialsFor, LocalLambdas } from './lambdas.js';
import { startS3Front } from './s3-front.js';
import { startSchedules } from './scheduler.js';
import { LocalEventSources } from './event-sources.js';
import { JOURNAL_TABLE, JOURNAL_TABLE_DEFINITION, LocalStepFunctions } from './step-functions.js';
import { LOCAL_ACCOUNT, LOCAL_DOCUMENTS_BUCKET, LOCAL_EXPORTS_BUCKET, LOCAL_REGION, LOCAL_STATE_MACHINE_ARN, LOCAL_TABLE_NAME, type Template, synthesizeLocal } from './synth.js';

/** Every function's source: bundled while the app synthesizes (the template then names which run). */
const FUNCTION_ENTRIES = [
  ...Object.values(API_GROUPS).map((group) => group.entry),
  ...Object.values(STEP_FUNCTIONS),
  ...Object.values(SCHEDULED_JOBS).map((job) => job.entry),
  ...Object.values(EVENT_CONSUMERS).map((consumer) => consumer.entry),
  SCAN_FUNCTION,
];

export interface LocalStackOptions {
  /** API port (0 picks a free one). */
  port?: number;
  /** Keeps tables and the workflow journal under `<dataDir>/dynamodb`; in memory without it. */
  dataDir?: string;
  /** Where the local issuer's key pair lives (default `<dataDir>/keys`). */
  keysDir?: string;
  /** Review stages for the synthesized workflow (default: the project's). */
  stages?: readonly ReviewStageDefinition[];
  /** The workflow's wait for a returned application, in seconds (default: the CDK default, 30 days). */
  returnDeadlineSeconds?: number;
  /** Every 公示 period closes this many seconds after publication (default: the working-day period). */
  publicitySeconds?: number;
  /** An OIDC provider whose tokens the gateway accepts too, and that the console signs in with. */
  trustedIssuer?: TrustedIssuer;
  /** Credentials for each function's sandbox (default: its own role's local key, see credentials.ts). */
  credentialsFor?: CredentialsFor;
  /** Waits before the two retries of a failed asynchronous invocation (default: about AWS's 1 and 2 minutes). */
  asyncRetryDelaysMs?: readonly [number, number];
  /** Whether the gateway's POST /local/token signs tokens for the console's role picker (default off). */
  localSignIn?: boolean;
  /** The benchmark: told the capacity units of every DynamoDB call, whoever makes it. */
  meterDynamoDb?: CapacityMeter;
  /** Tests only: changes the synthesized template before its IAM policies are read (e.g. drops a grant). */
  patchTemplate?: (template: Template) => void;
}

export interface LocalStack {
  url: string;
  keys: LocalKeys;
  stepFunctions: LocalStepFunctions;
  lambdas: LocalLambdas;
  /** The event source mappings on the table's stream; `failures(queue)` reads an on-failure destination. */
  eventSources: LocalEventSources;
  /** The SMTP server the email consumer sends to (GET /local/mail lists what it received). */
  smtp: LocalSmtp;
  /** The local AWS endpoints; each takes only SigV4 requests signed with `credentials`' keys. */
  dynamodbEndpoint: string;
  stepFunctionsEndpoint: string;
  s3Endpoint: string;
  /** DynamoDB Local itself, behind the proxy: bound to 127.0.0.1, checks nothing (tests prove the binding). */
  dynamodbLocalEndpoint: string;
  credentials: LocalCredentials;
  iam: LocalIam;
  stop(): Promise<void>;
}

/**
 * The embedded local stack: DynamoDB Local with the table CDK defines, the state machine CDK
 * synthesizes behind a local Step Functions endpoint, and a local API Gateway — all calling the same
 * handlers that run in Lambda, configured only through the environment.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  requireNodeMajor();
  const keysDir = options.keysDir ?? (options.dataDir ? path.join(options.dataDir, 'keys') : undefined);
  if (!keysDir) throw new Error('An in-memory local stack needs a keysDir for its token issuer');
  const dynamodbPort = await freePort();
  const [keys, dynamodb, synthesized, bundles, clamd, smtp] = await Promise.all([
    loadOrCreateKeys(keysDir),
    startDynamoDbLocal({ port: dynamodbPort, ...(options.dataDir ? { dbPath: path.join(options.dataDir, 'dynamodb') } : {}) }),
    Promise.resolve().then(() =>
      synthesizeLocal({
        ...(options.stages ? { stages: options.stages } : {}),
        ...(options.returnDeadlineSeconds ? { returnDeadlineSeconds: options.returnDeadlineSeconds } : {}),
        ...(options.publicitySeconds ? { publicitySeconds: options.publicitySeconds } : {}),
      }),
    ),
    bundleFunctions(FUNCTION_ENTRIES),
    // The documents' malware scanner (as in AWS China): Debian's clamd, when installed.
    startClamd(process.env.CLAMAV_DATABASE_DIR ? { databaseDir: process.env.CLAMAV_DATABASE_DIR } : {}),
    startLocalSmtp(),
  ]);
  // The gateway's port is fixed now: the email function's links name it.
  const gatewayPort = options.port || (await freePort());
  if (!clamd) process.stderr.write('clamd is not installed (apt-get install clamav-daemon): uploaded documents stay SCANNING\n');

  // Every AWS call is signed with a local key and evaluated against the template's IAM policies.
  options.patchTemplate?.(synthesized.template);
  const credentials = new LocalCredentials(synthesized.template);
  const iam = new LocalIam(synthesized.template);
  const dynamodbProxy = await startDynamoDbProxy({ target: dynamodb.port, credentials, iam, ...(options.meterDynamoDb ? { meter: options.meterDynamoDb } : {}) });

  const admin = new DynamoDBClient({ endpoint: dynamodbProxy.endpoint, region: LOCAL_REGION, credentials: credentials.admin });
  for (const table of [synthesized.table, JOURNAL_TABLE_DEFINITION]) {
    await admin.send(new CreateTableCommand(table)).catch((error) => {
      if (!(error instanceof ResourceInUseException)) throw error;
    });
  }
  // The table's stream, as the template enables it (a table made before streams were on gets it now).
  const streamSpecification = synthesized.table.StreamSpecification;
  let streamArn: string | undefined;
  if (streamSpecification) {
    const { Table } = await admin.send(new DescribeTableCommand({ TableName: synthesized.table.TableName }));
    streamArn = Table?.LatestStreamArn;
    if (!Table?.StreamSpecification?.StreamEnabled) {
      const { TableDescription } = await admin.send(new UpdateTableCommand({ TableName: synthesized.table.TableName, StreamSpecification: streamSpecification }));
      streamArn = TableDescription?.LatestStreamArn;
    }
  }
  admin.destroy();

  // S3 for payment files: s3rver, keeping them under <dataDir>/exports (a temporary folder in memory mode).
  const exportsDir = options.dataDir ? path.join(options.dataDir, 'exports') : mkdtempSync(path.join(tmpdir(), 'jcg-exports-'));
  // s3rver checks nothing, so it is reachable only through a socket in a private folder, behind the front.
  const s3 = new S3rver({ silent: true, directory: exportsDir, configureBuckets: [{ name: LOCAL_EXPORTS_BUCKET }, { name: LOCAL_DOCUMENTS_BUCKET }] });
  // s3rver refuses keys it does not know, even after the front has verified them.
  for (const { accessKeyId, secretAccessKey } of credentials.all()) DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const socketDir = mkdtempSync(path.join(tmpdir(), 'jcg-s3-'));
  const socketPath = path.join(socketDir, 's3.sock');
  await s3.configureBuckets();
  const s3Server = await s3.listen(socketPath);
  let consoleOrigin = '';
  const s3Front = await startS3Front({
    socketPath,
    credentials,
    iam,
    // S3 event notifications from the template, delivered asynchronously like S3 does (Lambda retries twice).
    onObjectCreated: ({ bucket, key, eventName, size, eTag }) => {
      for (const rule of synthesized.bucketNotifications) {
        if (rule.bucket !== bucket || !key.startsWith(rule.prefix) || !key.endsWith(rule.suffix) || !rule.events.some((e) => eventMatches(e, eventName))) continue;
        const { done } = lambdas.invokeAsync(rule.functionLogicalId, s3Event({ region: LOCAL_REGION }, bucket, key, eventName, size, eTag));
        void done.then((outcome) => {
          if (outcome.condition !== 'Success') process.stderr.write(`S3 notification ${bucket}/${key}: ${outcome.condition}: ${JSON.stringify(outcome.functionError)}\n`);
        });
      }
    },
    // The console posts documents straight to the bucket (CDK's CORS rule names the console's origin).
    corsOrigins: (bucket) => (bucket === LOCAL_DOCUMENTS_BUCKET && consoleOrigin ? [consoleOrigin] : []),
  });

  let lambdas!: LocalLambdas;
  const stepFunctions = new LocalStepFunctions(
    LOCAL_STATE_MACHINE_ARN,
    synthesized.definition,
    (name, payload) => lambdas.invokeFunction(name, payload),
    dynamodbProxy.endpoint,
    undefined,
    { credentials, iam, journalCredential: credentials.admin },
  );
  const sfnEndpoint = await stepFunctions.listen();
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.endpoint,
    AWS_ENDPOINT_URL_SFN: sfnEndpoint,
    AWS_ENDPOINT_URL_S3: s3Front.endpoint,
  };

  // Each function runs in sandboxes of its own with its template's environment (see lambdas.ts), and
  // signs its calls with its own role's key, which the endpoints evaluate against that role's policies.
  lambdas = new LocalLambdas(synthesized.functions, {
    bundles,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    endpoints,
    credentialsFor: options.credentialsFor ?? credentials.credentialsFor,
    ...(options.asyncRetryDelaysMs ? { asyncRetryDelaysMs: options.asyncRetryDelaysMs } : {}),
    // The secret's local stand-in, only for the functions whose template names the secret's ARN.
    grants: [
      { ifVariable: 'PERSON_KEY_SECRET_ARN', add: { PERSON_KEY_SECRET: loadOrCreatePersonKeySecret(keysDir) } },
      ...(clamd ? [{ ifVariable: 'CLAMD_ADDRESS', add: { CLAMD_ADDRESS: clamd.address } }] : []),
      { ifVariable: 'PAGE_TOKEN_SECRET_ARN', add: { PAGE_TOKEN_SECRET: loadOrCreateSecret(keysDir, 'page-token.secret') } },
      { ifVariable: 'SMTP_HOST', add: { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), CONSOLE_URL: `http://127.0.0.1:${gatewayPort}` } },
    ],
    logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });

  // For code this process runs itself (tests and benchmarks that call the store directly), with the
  // stack's admin key. The functions never see this environment.
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
    EXPORTS_BUCKET: LOCAL_EXPORTS_BUCKET,
    DOCUMENTS_BUCKET: LOCAL_DOCUMENTS_BUCKET,
    PERSON_KEY_SECRET: loadOrCreatePersonKeySecret(keysDir),
    PAGE_TOKEN_SECRET: loadOrCreateSecret(keysDir, 'page-token.secret'),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: credentials.admin.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.admin.secretAccessKey,
    ...endpoints,
  });

  await stepFunctions.resumeRunning();

  // Lambda's event source mappings on the table's stream: polled here, checkpoints in the journal table.
  const eventSources = new LocalEventSources({
    mappings: synthesized.eventSources,
    streamsEndpoint: dynamodb.endpoint,
    tableName: LOCAL_TABLE_NAME,
    stateEndpoint: dynamodbProxy.endpoint,
    stateTable: JOURNAL_TABLE,
    stateCredentials: credentials.admin,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    invoke: (functionLogicalId, event) => lambdas.invoke(functionLogicalId, event),
  });
  if (synthesized.eventSources.length > 0) {
    if (!streamArn) throw new Error('The template maps functions to the table stream, but the table has no stream');
    eventSources.start(streamArn);
  }

  // EventBridge's scheduled rules from the template (REDELIVERY_INTERVAL_SECONDS shortens every period).
  const schedules = startSchedules(synthesized.schedules, lambdas, {
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    ...(process.env.REDELIVERY_INTERVAL_SECONDS ? { everySeconds: Number(process.env.REDELIVERY_INTERVAL_SECONDS) } : {}),
  });
  const server: Server = await startGateway({ port: gatewayPort, keys, lambdas, connectOrigins: [new URL(s3Front.endpoint).origin], localSignIn: options.localSignIn ?? false, eventFailures: () => eventSources.allFailures(), mail: () => smtp.received(), ...(options.trustedIssuer ? { trustedIssuer: options.trustedIssuer } : {}) });
  const { port } = server.address() as { port: number };
  consoleOrigin = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    stepFunctions,
    lambdas,
    eventSources,
    smtp,
    dynamodbEndpoint: dynamodbProxy.endpoint,
    stepFunctionsEndpoint: sfnEndpoint,
    s3Endpoint: s3Front.endpoint,
    dynamodbLocalEndpoint: dynamodb.endpoint,
    credentials,
    iam,
    async stop() {
      schedules.stop();
      await eventSources.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stepFunctions.close();
      await lambdas.close();
      bundles.remove();
      await s3Front.close();
      await new Promise<void>((resolve) => s3Server.close(() => resolve()));
      rmSync(socketDir, { recursive: true, force: true });
      await dynamodbProxy.close();
      await dynamodb.stop();
      await clamd?.stop();
      await smtp.stop();
      if (!options.dataDir) rmSync(exportsDir, { recursive: true, force: true });
    },
  };
}

