import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { config, resetConfigCache } from '../../functions/config.js';

/**
 * The person key secret read from a Secrets Manager endpoint (a local HTTP server speaking its JSON
 * protocol): a failed read must not be cached, a successful one must.
 */
describe('config.personKeySecret', () => {
  let server: Server;
  const answers: Array<{ status: number; body: unknown }> = [];
  let requests = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        requests++;
        const answer = answers.shift() ?? { status: 500, body: { __type: 'InternalServiceError', message: 'no answer queued' } };
        response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      PERSON_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:person-key',
    });
    delete process.env.PERSON_KEY_SECRET;
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    resetConfigCache();
    answers.length = 0;
    requests = 0;
  });

  it('reads again after a failed read, then keeps the value', async () => {
    // AccessDenied is not retried by the SDK: exactly one request fails.
    answers.push({ status: 400, body: { __type: 'AccessDeniedException', message: 'denied' } });
    await expect(config.personKeySecret()).rejects.toThrow(/denied/);
    answers.push({ status: 200, body: { ARN: process.env.PERSON_KEY_SECRET_ARN, SecretString: 'hmac-key' } });
    await expect(config.personKeySecret()).resolves.toBe('hmac-key');
    await expect(config.personKeySecret()).resolves.toBe('hmac-key');
    expect(requests).toBe(2);
  });

  it('shares one read between concurrent callers', async () => {
    answers.push({ status: 200, body: { SecretString: 'hmac-key' } });
    const values = await Promise.all([config.personKeySecret(), config.personKeySecret()]);
    expect(values).toEqual(['hmac-key', 'hmac-key']);
    expect(requests).toBe(1);
  });

  it('refuses an empty secret, and reads again next time', async () => {
    answers.push({ status: 200, body: { SecretString: '' } });
    await expect(config.personKeySecret()).rejects.toThrow(/empty/);
    answers.push({ status: 200, body: { SecretString: 'hmac-key' } });
    await expect(config.personKeySecret()).resolves.toBe('hmac-key');
  });
});
