import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListExecutionsCommand, SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCredential } from '../../infra/local/credentials.js';
import { Sha256 } from '../../infra/local/sigv4.js';
import { type LocalStack, startLocalStack } from '../../infra/local/stack.js';
import { LOCAL_EXPORTS_BUCKET, LOCAL_STATE_MACHINE_ARN, LOCAL_TABLE_NAME } from '../../infra/local/synth.js';

/**
 * The local stack's AWS endpoints take only requests signed (SigV4) with keys it issued, and allow
 * each role only what the synthesized template's IAM policies allow it — refusing as AWS refuses.
 */

const FOREIGN: LocalCredential = { accessKeyId: 'AKIAFOREIGNFOREIGN12', secretAccessKey: 'not-a-local-secret' };

/** A raw HTTP call, so that tests control every header and the body byte for byte. */
function send(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(endpoint);
  return new Promise<{ status: number; text: string; json: () => any }>((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers ?? {} },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) }));
      },
    );
    req.once('error', reject);
    req.end(options.body ?? '');
  });
}

/** A JSON 1.0 call signed with the SDK's signer; `sentBody` differs from the signed body to tamper. */
async function signedJsonCall(endpoint: string, service: string, target: string, body: string, credential: LocalCredential, sentBody = body) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service, region: 'local', credentials: credential, sha256: Sha256 as never });
  const signed = (await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  } as never)) as unknown as { headers: Record<string, string> };
  return send(endpoint, { headers: signed.headers, body: sentBody });
}

describe('the local AWS endpoints', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'jcg-keys-'));
  let stack: LocalStack;
  const dynamodb = (credentials: LocalCredential) => new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'local', credentials, maxAttempts: 1 });
  const sfn = (credentials: LocalCredential) => new SFNClient({ endpoint: stack.stepFunctionsEndpoint, region: 'local', credentials, maxAttempts: 1 });
  const s3 = (credentials: LocalCredential) => new S3Client({ endpoint: stack.s3Endpoint, region: 'local', credentials, forcePathStyle: true, maxAttempts: 1 });
  /** The key of the role the function whose logical id starts with `prefix` runs as. */
  const role = (prefix: string) => {
    const functionId = stack.credentials.functionIds().find((id) => id.startsWith(prefix));
    if (!functionId) throw new Error(`No function ${prefix}`);
    return stack.credentials.forRole(stack.credentials.roleOf(functionId));
  };

  beforeAll(async () => {
    stack = await startLocalStack({ keysDir });
  });
  afterAll(async () => {
    await stack.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  describe('DynamoDB', () => {
    const listTables = (credential: LocalCredential, sentBody?: string) =>
      signedJsonCall(stack.dynamodbEndpoint, 'dynamodb', 'DynamoDB_20120810.ListTables', '{}', credential, sentBody);

    it('refuses unsigned, foreign-key, wrong-secret and tampered requests as DynamoDB does', async () => {
      const unsigned = await send(stack.dynamodbEndpoint, { headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
      expect([unsigned.status, unsigned.json().__type]).toEqual([400, 'com.amazon.coral.service#MissingAuthenticationTokenException']);

      const foreign = await listTables(FOREIGN);
      expect([foreign.status, foreign.json().__type]).toEqual([400, 'com.amazon.coral.service#UnrecognizedClientException']);

      const wrongSecret = await listTables({ accessKeyId: stack.credentials.admin.accessKeyId, secretAccessKey: 'guessed' });
      expect([wrongSecret.status, wrongSecret.json().__type]).toEqual([400, 'com.amazon.coral.service#InvalidSignatureException']);

      const tampered = await listTables(stack.credentials.admin, '{"Limit":1}');
      expect([tampered.status, tampered.json().__type]).toEqual([400, 'com.amazon.coral.service#InvalidSignatureException']);

      const signed = await listTables(stack.credentials.admin);
      expect(signed.status).toBe(200);
      expect(signed.json().TableNames).toContain(LOCAL_TABLE_NAME);
    });

    it('the SDK sees UnrecognizedClientException for a key the stack never issued', async () => {
      await expect(dynamodb(FOREIGN).send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: { PK: { S: 'x' }, SK: { S: 'x' } } }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
      });
    });

    it('allows a role what its policies allow and refuses the rest with AccessDeniedException', async () => {
      const policy = dynamodb(role('PolicyApi'));
      const key = { PK: { S: 'IAM#probe' }, SK: { S: 'IAM#probe' } };
      await expect(policy.send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: key }))).resolves.toBeDefined();
      const denied = await policy.send(new PutItemCommand({ TableName: LOCAL_TABLE_NAME, Item: key })).catch((error) => error);
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toMatch(
        new RegExp(
          `^User: arn:aws:sts::000000000000:assumed-role/PolicyApiServiceRole\\w+/local is not authorized to perform: dynamodb:PutItem ` +
            `on resource: arn:aws:dynamodb:local:000000000000:table/${LOCAL_TABLE_NAME} because no identity-based policy allows the dynamodb:PutItem action$`,
        ),
      );
      // The system API has no table grant at all.
      await expect(dynamodb(role('SystemApi')).send(new GetItemCommand({ TableName: LOCAL_TABLE_NAME, Key: key }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    });

    it('evaluates every item of a transaction on its own table, and a query on the index ARN', async () => {
      const tasks = dynamodb(role('TasksApi'));
      const put = { Put: { TableName: LOCAL_TABLE_NAME, Item: { PK: { S: 'IAM#tx' }, SK: { S: 'IAM#tx' } } } };
      await expect(tasks.send(new TransactWriteItemsCommand({ TransactItems: [put] }))).resolves.toBeDefined();
      const other = { ConditionCheck: { TableName: 'local-step-functions-journal', Key: { PK: { S: 'x' }, SK: { S: 'x' } }, ConditionExpression: 'attribute_not_exists(PK)' } };
      const denied = await tasks.send(new TransactWriteItemsCommand({ TransactItems: [put, other] })).catch((error) => error);
      expect(denied.name).toBe('AccessDeniedException');
      expect(denied.message).toContain('dynamodb:ConditionCheckItem on resource: arn:aws:dynamodb:local:000000000000:table/local-step-functions-journal');

      const query = new QueryCommand({
        TableName: LOCAL_TABLE_NAME,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'nothing' } },
      });
      await expect(tasks.send(query)).resolves.toMatchObject({ Count: 0 });
      stack.iam.denials.length = 0;
      await expect(dynamodb(role('SystemApi')).send(query)).rejects.toMatchObject({ name: 'AccessDeniedException' });
      expect(stack.iam.denials.at(-1)).toMatchObject({ action: 'dynamodb:Query', resource: `arn:aws:dynamodb:local:000000000000:table/${LOCAL_TABLE_NAME}/index/GSI1` });
    });
  });

  describe('Step Functions', () => {
    it('refuses unsigned, foreign-key, wrong-secret and tampered requests', async () => {
      const body = JSON.stringify({ stateMachineArn: LOCAL_STATE_MACHINE_ARN });
      const call = (credential: LocalCredential, sentBody?: string) =>
        signedJsonCall(stack.stepFunctionsEndpoint, 'states', 'AWSStepFunctions.ListExecutions', body, credential, sentBody);
      const unsigned = await send(stack.stepFunctionsEndpoint, { headers: { 'x-amz-target': 'AWSStepFunctions.ListExecutions' }, body });
      expect([unsigned.status, unsigned.json().__type]).toEqual([400, 'com.amazon.coral.service#MissingAuthenticationTokenException']);
      expect((await call(FOREIGN)).json().__type).toBe('com.amazon.coral.service#UnrecognizedClientException');
      expect((await call({ accessKeyId: stack.credentials.admin.accessKeyId, secretAccessKey: 'guessed' })).json().__type).toBe(
        'com.amazon.coral.service#InvalidSignatureException',
      );
      expect((await call(stack.credentials.admin, JSON.stringify({ stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:other' }))).json().__type).toBe(
        'com.amazon.coral.service#InvalidSignatureException',
      );
      expect((await call(stack.credentials.admin)).status).toBe(200);
    });

    it('evaluates SendTaskSuccess against the state machine: the tasks role reaches the task, others are refused', async () => {
      const success = new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' });
      // Allowed by IAM; the token is unknown, as AWS would say.
      await expect(sfn(role('TasksApi')).send(success)).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
      for (const refused of ['PolicyApi', 'BatchesApi', 'Assess']) {
        const error = await sfn(role(refused)).send(success).catch((e) => e);
        expect(error.name).toBe('AccessDeniedException');
        expect(error.message).toContain(`is not authorized to perform: states:SendTaskSuccess on resource: ${LOCAL_STATE_MACHINE_ARN}`);
      }
    });

    it('the applications role may answer the revision wait (a resubmission sends SendTaskSuccess)', async () => {
      await expect(sfn(role('ApplicationsApi')).send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' }))).rejects.toMatchObject({
        name: 'TaskDoesNotExist',
      });
    });

    it('ListExecutions is the admin API’s; the tasks role is refused', async () => {
      await expect(sfn(role('AdminApi')).send(new ListExecutionsCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN }))).resolves.toBeDefined();
      await expect(sfn(role('TasksApi')).send(new ListExecutionsCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN }))).rejects.toMatchObject({
        name: 'AccessDeniedException',
      });
    });
  });

  describe('S3', () => {
    const objectPath = `/${LOCAL_EXPORTS_BUCKET}/batches/iam-probe.csv`;

    it('refuses anonymous list, get, put and delete with 403 AccessDenied', async () => {
      for (const [method, target] of [
        ['GET', `/${LOCAL_EXPORTS_BUCKET}`],
        ['GET', objectPath],
        ['PUT', objectPath],
        ['DELETE', objectPath],
      ] as const) {
        const answer = await send(stack.s3Endpoint, { method, path: target, body: method === 'PUT' ? 'x' : '' });
        expect([method, answer.status]).toEqual([method, 403]);
        expect(answer.text).toContain('<Code>AccessDenied</Code>');
      }
    });

    it('lets the batches role write and read payment files, and nothing else', async () => {
      const batches = s3(role('BatchesApi'));
      await batches.send(new PutObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/iam-probe.csv', Body: 'a,b\n' }));
      const got = await batches.send(new GetObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/iam-probe.csv' }));
      expect(await got.Body!.transformToString()).toBe('a,b\n');
      await expect(batches.send(new PutObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'elsewhere/x.csv', Body: 'x' }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(s3(role('PolicyApi')).send(new GetObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/iam-probe.csv' }))).rejects.toMatchObject({
        name: 'AccessDenied',
      });
      await expect(s3(FOREIGN).send(new GetObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/iam-probe.csv' }))).rejects.toMatchObject({
        name: 'InvalidAccessKeyId',
      });
      await expect(
        s3({ accessKeyId: role('BatchesApi').accessKeyId, secretAccessKey: 'guessed' }).send(new GetObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/iam-probe.csv' })),
      ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    });

    it('verifies presigned URLs: their signature, what they name, and their expiry', async () => {
      const batches = s3(role('BatchesApi'));
      await batches.send(new PutObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/presigned.csv', Body: 'paid\n' }));
      const command = new GetObjectCommand({ Bucket: LOCAL_EXPORTS_BUCKET, Key: 'batches/presigned.csv' });
      const url = new URL(await getSignedUrl(batches, command, { expiresIn: 300 }));
      const get = (target: URL) => send(stack.s3Endpoint, { method: 'GET', path: target.pathname + target.search, headers: { host: target.host } });

      const ok = await get(url);
      expect([ok.status, ok.text]).toEqual([200, 'paid\n']);

      const otherObject = new URL(url);
      otherObject.pathname = `/${LOCAL_EXPORTS_BUCKET}/batches/iam-probe.csv`;
      const moved = await get(otherObject);
      expect([moved.status, /<Code>(\w+)<\/Code>/.exec(moved.text)?.[1]]).toEqual([403, 'SignatureDoesNotMatch']);

      const forged = new URL(url);
      forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
      expect(/<Code>(\w+)<\/Code>/.exec((await get(forged)).text)?.[1]).toBe('SignatureDoesNotMatch');

      const longer = new URL(url);
      longer.searchParams.set('X-Amz-Expires', '604800');
      expect(/<Code>(\w+)<\/Code>/.exec((await get(longer)).text)?.[1]).toBe('SignatureDoesNotMatch');

      const expired = new URL(await getSignedUrl(batches, command, { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) }));
      const late = await get(expired);
      expect([late.status, /<Message>([^<]+)<\/Message>/.exec(late.text)?.[1]]).toEqual([403, 'Request has expired']);
    });
  });
});
