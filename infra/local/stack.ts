import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account.js';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { ReviewStageDefinition } from '../../workflows/review-stages.js';
import { SCHEDULED_JOBS } from '../api-routes.js';
import { requireNodeMajor } from '../runtime.js';
import { LocalCredentials } from './credentials.js';
import { freePort, startDynamoDbLocal } from './dynamodb-local.js';
import { startDynamoDbProxy } from './dynamodb-proxy.js';
import { startGateway } from './gateway.js';
import { LocalIam } from './iam.js';
import { startS3Front } from './s3-front.js';
import { type LocalKeys, type TrustedIssuer, loadOrCreateKeys, loadOrCreatePersonKeySecret } from './jwt.js';
import { LocalLambdas } from './lambdas.js';
import { JOURNAL_TABLE, LocalStepFunctions } from './step-functions.js';
import { LOCAL_EXPORTS_BUCKET, LOCAL_REGION, LOCAL_STATE_MACHINE_ARN, LOCAL_TABLE_NAME, type Template, synthesizeLocal } from './synth.js';

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
  /** An OIDC provider whose tokens the gateway accepts too, and that the console signs in with. */
  trustedIssuer?: TrustedIssuer;
  /** Whether the gateway's POST /local/token signs tokens for the console's role picker (default off). */
  localSignIn?: boolean;
  /** Tests only: changes the synthesized template before its IAM policies are read (e.g. drops a grant). */
  patchTemplate?: (template: Template) => void;
}

export interface LocalStack {
  url: string;
  keys: LocalKeys;
  stepFunctions: LocalStepFunctions;
  lambdas: LocalLambdas;
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
  const [keys, dynamodb, synthesized] = await Promise.all([
    loadOrCreateKeys(keysDir),
    startDynamoDbLocal({ port: dynamodbPort, ...(options.dataDir ? { dbPath: path.join(options.dataDir, 'dynamodb') } : {}) }),
    Promise.resolve().then(() =>
      synthesizeLocal({
        ...(options.stages ? { stages: options.stages } : {}),
        ...(options.returnDeadlineSeconds ? { returnDeadlineSeconds: options.returnDeadlineSeconds } : {}),
      }),
    ),
  ]);

  // Every AWS call is signed with a local key and evaluated against the template's IAM policies.
  options.patchTemplate?.(synthesized.template);
  const credentials = new LocalCredentials(synthesized.template);
  const iam = new LocalIam(synthesized.template);
  const dynamodbProxy = await startDynamoDbProxy({ target: dynamodb.port, credentials, iam });

  const admin = new DynamoDBClient({ endpoint: dynamodbProxy.endpoint, region: LOCAL_REGION, credentials: credentials.admin });
  for (const table of [
    synthesized.table,
    {
      TableName: JOURNAL_TABLE,
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' as const },
        { AttributeName: 'SK', AttributeType: 'S' as const },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' as const },
        { AttributeName: 'SK', KeyType: 'RANGE' as const },
      ],
      BillingMode: 'PAY_PER_REQUEST' as const,
    },
  ]) {
    await admin.send(new CreateTableCommand(table)).catch((error) => {
      if (!(error instanceof ResourceInUseException)) throw error;
    });
  }
  admin.destroy();

  // S3 for payment files: s3rver, keeping them under <dataDir>/exports (a temporary folder in memory mode).
  const exportsDir = options.dataDir ? path.join(options.dataDir, 'exports') : mkdtempSync(path.join(tmpdir(), 'jcg-exports-'));
  // s3rver checks nothing, so it is reachable only through a socket in a private folder, behind the front.
  const s3 = new S3rver({ silent: true, directory: exportsDir, configureBuckets: [{ name: LOCAL_EXPORTS_BUCKET }] });
  // s3rver refuses keys it does not know, even after the front has verified them.
  for (const { accessKeyId, secretAccessKey } of credentials.all()) DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const socketDir = mkdtempSync(path.join(tmpdir(), 'jcg-s3-'));
  const socketPath = path.join(socketDir, 's3.sock');
  await s3.configureBuckets();
  const s3Server = await s3.listen(socketPath);
  const s3Front = await startS3Front({ socketPath, credentials, iam });

  const lambdas = new LocalLambdas(synthesized.functions);
  const stepFunctions = new LocalStepFunctions(
    LOCAL_STATE_MACHINE_ARN,
    synthesized.definition,
    (name, payload) => lambdas.invokeFunction(name, payload),
    dynamodbProxy.endpoint,
    undefined,
    { credentials, iam, journalCredential: credentials.admin },
  );
  const sfnEndpoint = await stepFunctions.listen();

  // The handlers know only their environment, as in Lambda. While they share this process, they share
  // one key too, allowed what any of the Lambda roles is allowed (credentials.credentialsFor gives each
  // function its own role's key once each runs in a worker of its own).
  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE_NAME,
    STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: credentials.sharedHandlers.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.sharedHandlers.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbProxy.endpoint,
    AWS_ENDPOINT_URL_SFN: sfnEndpoint,
    AWS_ENDPOINT_URL_S3: s3Front.endpoint,
    EXPORTS_BUCKET: LOCAL_EXPORTS_BUCKET,
    PERSON_KEY_SECRET: loadOrCreatePersonKeySecret(keysDir),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });

  await stepFunctions.resumeRunning();

  // Scheduled jobs, as EventBridge would run them (REDELIVERY_INTERVAL_SECONDS shortens the period).
  const jobs = Object.values(SCHEDULED_JOBS).map(({ entry, everyMinutes }) => {
    const seconds = Number(process.env.REDELIVERY_INTERVAL_SECONDS ?? everyMinutes * 60);
    return setInterval(() => {
      lambdas.invokeEntry(entry, { source: 'local.scheduler' }).catch((error) => process.stderr.write(`job ${entry}: ${String(error)}\n`));
    }, seconds * 1000);
  });
  const server: Server = await startGateway({ port: options.port ?? 0, keys, lambdas, localSignIn: options.localSignIn ?? false, ...(options.trustedIssuer ? { trustedIssuer: options.trustedIssuer } : {}) });
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    stepFunctions,
    lambdas,
    dynamodbEndpoint: dynamodbProxy.endpoint,
    stepFunctionsEndpoint: sfnEndpoint,
    s3Endpoint: s3Front.endpoint,
    dynamodbLocalEndpoint: dynamodb.endpoint,
    credentials,
    iam,
    async stop() {
      for (const job of jobs) clearInterval(job);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stepFunctions.close();
      await s3Front.close();
      await new Promise<void>((resolve) => s3Server.close(() => resolve()));
      rmSync(socketDir, { recursive: true, force: true });
      await dynamodbProxy.close();
      await dynamodb.stop();
      if (!options.dataDir) rmSync(exportsDir, { recursive: true, force: true });
    },
  };
}
