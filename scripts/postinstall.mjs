// Fetches AWS's DynamoDB Local (pinned, integrity-checked) so that the first `npm start` or `npm test`
// does not have to. Runs on the Node binary of the `node` devDependency when it is installed.
import { execFileSync } from 'node:child_process';
execFileSync('npx', ['tsx', '-e', "import('./infra/local/dynamodb-local.ts').then((m) => m.ensureEmulator())"], { stdio: 'inherit' });
