import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { requireNodeMajor } from './runtime.js';
import { CONSOLE_DIST } from './console.js';
import { SubsidyStack } from './stack.js';

requireNodeMajor();

/** Builds the CDK app: the stack plus cdk-nag AwsSolutions, whose unacknowledged findings fail synth. */
export function buildApp(app: App = new App()): { app: App; stack: SubsidyStack } {
  const setting = (name: string, env: string): string | undefined => process.env[env] ?? app.node.tryGetContext(name);
  const jwtIssuer = setting('jwtIssuer', 'JWT_ISSUER');
  const jwtAudience = setting('jwtAudience', 'JWT_AUDIENCE');
  if (!jwtIssuer || !jwtAudience) throw new Error('Set the JWT issuer and audience (context jwtIssuer/jwtAudience or JWT_ISSUER/JWT_AUDIENCE)');
  const stack = new SubsidyStack(app, 'JcgSubsidy', {
    jwtIssuer,
    jwtAudience,
    deletionProtection: String(setting('deletionProtection', 'DELETION_PROTECTION') ?? 'true') !== 'false',
    returnDeadline: Duration.days(Number(setting('returnDeadlineDays', 'RETURN_DEADLINE_DAYS') ?? 30)),
    console: {
      assetsDir: CONSOLE_DIST,
      signIn: {
        issuer: jwtIssuer,
        // The console's public OIDC client; often the audience the API checks.
        clientId: setting('consoleClientId', 'CONSOLE_CLIENT_ID') ?? jwtAudience,
        scope: setting('consoleScope', 'CONSOLE_SCOPE') ?? 'openid profile',
        token: setting('consoleToken', 'CONSOLE_TOKEN') === 'id_token' ? 'id_token' : 'access_token',
      },
    },
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
