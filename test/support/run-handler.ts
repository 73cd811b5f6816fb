import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

/**
 * Runs one Lambda handler in a process of its own, as a Lambda worker does, so that it signs its AWS
 * calls with the credentials of its environment only. Usage: run-handler.ts <entry>, the event on stdin;
 * prints a last line RESULT {ok, result} or RESULT {ok: false, name, message} (logs go to stdout too).
 */
const [entry] = process.argv.slice(2);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { handler } = (await import(pathToFileURL(path.join(PROJECT_ROOT, entry!)).href)) as { handler: (event: unknown, context: unknown) => Promise<unknown> };
const context = { functionName: entry, awsRequestId: 'local', getRemainingTimeInMillis: () => 30_000 };
try {
  process.stdout.write(`\nRESULT ${JSON.stringify({ ok: true, result: await handler(JSON.parse(input), context) })}\n`);
} catch (error) {
  process.stdout.write(`\nRESULT ${JSON.stringify({ ok: false, name: (error as Error).name, message: (error as Error).message })}\n`);
}
