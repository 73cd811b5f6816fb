import { type Server, createServer, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { tableOnDynamoDbLocal } from '../support/dynamodb.js';

/**
 * DynamoDB throttling is retried by the SDK with backoff: a proxy in front of DynamoDB Local answers the
 * first requests with ThrottlingException, as DynamoDB does under pressure, and the store still succeeds.
 */
describe('DynamoDB throttling', () => {
  let dynamodb: DynamoDbLocal;
  let proxy: Server;
  let throttleNext = 0;
  let seen = 0;

  beforeAll(async () => {
    dynamodb = await tableOnDynamoDbLocal();
    const target = new URL(dynamodb.endpoint);
    proxy = createServer((req, res) => {
      seen++;
      if (throttleNext > 0) {
        throttleNext--;
        req.resume();
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' }));
        return;
      }
      const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    // The store's client is made on first import: point it at the proxy before that.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await dynamodb.stop();
  });

  it('retries throttled requests and then succeeds', async () => {
    const { putRegistryEntry, getRegistryEntry } = await import('../../functions/store/registry.js');
    const entry = { uscc: '91140500MA0K00001U', name: '企业', joinedOn: '2025-01-10', bankAccount: { name: '企业', bank: '银行', number: '12345678' }, updatedAt: '2025-01-10T00:00:00.000Z' };
    throttleNext = 3;
    seen = 0;
    await putRegistryEntry(entry);
    expect(seen).toBe(4);
    throttleNext = 2;
    expect(await getRegistryEntry(entry.uscc)).toEqual(entry);
  });
});
