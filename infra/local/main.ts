import path from 'node:path';
import { DEFAULT_DATA_DIR } from './paths.js';
import { startLocalStack } from './stack.js';

/**
 * `npm start`: the whole system on this machine, data kept under .data/ (or DATA_DIR). With
 * IN_MEMORY=true the tables live in memory and only the token issuer's keys are kept.
 * RETURN_DEADLINE_SECONDS shortens the wait for a returned application (the CDK default is 30 days);
 * PUBLICITY_SECONDS makes every 公示 period close that many seconds after publication.
 * OIDC_ISSUER, OIDC_AUDIENCE and OIDC_CLIENT_ID make the console sign in with that OIDC provider, and
 * the gateway accept its tokens, as in AWS. LOCAL_SIGN_IN=false turns off POST /local/token (the local
 * role picker), which is on by default here and off in startLocalStack.
 */
const dataDir = process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
const stack = await startLocalStack({
  port: Number(process.env.PORT ?? 3000),
  localSignIn: process.env.LOCAL_SIGN_IN !== 'false',
  ...(process.env.IN_MEMORY === 'true' ? { keysDir: path.join(dataDir, 'keys') } : { dataDir }),
  ...(process.env.RETURN_DEADLINE_SECONDS ? { returnDeadlineSeconds: Number(process.env.RETURN_DEADLINE_SECONDS) } : {}),
  ...(process.env.PUBLICITY_SECONDS ? { publicitySeconds: Number(process.env.PUBLICITY_SECONDS) } : {}),
  ...(process.env.OIDC_ISSUER
    ? {
        trustedIssuer: {
          issuer: process.env.OIDC_ISSUER,
          audience: process.env.OIDC_AUDIENCE ?? 'jcg-subsidy',
          clientId: process.env.OIDC_CLIENT_ID ?? 'jcg-subsidy-console',
        },
      }
    : {}),
});
process.stdout.write(`jcg-subsidy local stack listening on ${stack.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void stack.stop().then(() => process.exit(0));
  });
}
