import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Duration, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { requireNodeMajor } from './runtime.js';
import { CONSOLE_DIST } from './console.js';
import { partitionFeatures, SubsidyStack } from './stack.js';

requireNodeMajor();

/** A setting the operator must give: a clear message instead of a stack built on a placeholder. */
class MissingSetting extends Error {}

/**
 * Builds the CDK app: the stack plus cdk-nag AwsSolutions, whose unacknowledged findings fail synth.
 * Settings come from context (-c name=value) or the environment variable beside it.
 */
export function buildApp(app: App = new App()): { app: App; stack: SubsidyStack } {
  const setting = (name: string, env: string): string | undefined => {
    const value = process.env[env] ?? app.node.tryGetContext(name);
    return value === undefined || value === '' ? undefined : String(value);
  };
  const required = (name: string, env: string, why: string): string => {
    const value = setting(name, env);
    if (!value) throw new MissingSetting(`Missing setting ${name}: pass -c ${name}=… (or set ${env}). ${why}`);
    return value;
  };
  const jwtIssuer = required('jwtIssuer', 'JWT_ISSUER', 'The API accepts tokens from this OIDC issuer only, e.g. https://login.example.gov.cn/realms/jcg.');
  const jwtAudience = required('jwtAudience', 'JWT_AUDIENCE', 'The audience the API checks in every token.');
  const region = required('region', 'CDK_DEFAULT_REGION', 'The region decides the partition (aws or aws-cn) and what the stack may use there.');
  const features = partitionFeatures(region);
  const domainName = setting('domainName', 'CONSOLE_DOMAIN_NAME');
  const iamCertificateId = setting('iamCertificateId', 'CONSOLE_IAM_CERTIFICATE_ID');
  if (features.customDomainRequired && (!domainName || !iamCertificateId)) {
    throw new MissingSetting(
      `In ${region} (AWS China) CloudFront serves no content on its default domain: pass -c domainName=<ICP-filed domain> ` +
        '-c iamCertificateId=<IAM server certificate id> (docs/deploy-china.md).',
    );
  }
  if ((domainName && !iamCertificateId) || (!domainName && iamCertificateId)) {
    throw new MissingSetting('domainName and iamCertificateId go together: the certificate must be for the domain.');
  }
  const apiDomainName = setting('apiDomainName', 'API_DOMAIN_NAME');
  const apiCertificateArn = setting('apiCertificateArn', 'API_CERTIFICATE_ARN');
  if (Boolean(apiDomainName) !== Boolean(apiCertificateArn)) {
    throw new MissingSetting('apiDomainName and apiCertificateArn go together (an ACM certificate in the stack’s region).');
  }
  const webAclArn = setting('webAclArn', 'WEB_ACL_ARN');
  const alarmEmail = setting('alarmEmail', 'ALARM_EMAIL');
  // Notification mail: SES where the partition has it, else (AWS China) the SMTP relay named here.
  const mailFrom = setting('mailFrom', 'MAIL_FROM');
  const smtpHost = setting('smtpHost', 'SMTP_HOST');
  const smtpPort = setting('smtpPort', 'SMTP_PORT');
  const smtpSecretArn = setting('smtpSecretArn', 'SMTP_SECRET_ARN');
  if (!features.ses && !smtpHost) {
    throw new MissingSetting(`${region} has no Amazon SES: pass -c smtpHost=<relay> -c smtpSecretArn=<secret with {"username","password"}> for notification mail.`);
  }

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
      ...(domainName && iamCertificateId ? { domain: { domainName, iamCertificateId } } : {}),
      ...(webAclArn ? { webAclArn } : {}),
    },
    ...(apiDomainName && apiCertificateArn ? { apiDomain: { domainName: apiDomainName, certificateArn: apiCertificateArn } } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    mail: {
      ...(mailFrom ? { from: mailFrom } : {}),
      ...(smtpHost ? { smtpHost } : {}),
      ...(smtpPort ? { smtpPort: Number(smtpPort) } : {}),
      ...(smtpSecretArn ? { smtpSecretArn } : {}),
    },
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** A validation finding as cdk.out/validation-report.json lists it. */
interface Violation {
  ruleName: string;
  description: string;
  severity?: string;
  violatingConstructs?: { constructPath?: string }[];
}

/**
 * Findings that must fail the synth although CDK reports them as warnings: a resource type the
 * region does not have would only fail later, in the middle of a deployment.
 */
export function blockingWarnings(outdir: string): string[] {
  const file = path.join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { pluginReports?: { violations?: Violation[] }[] };
  return (report.pluginReports ?? [])
    .flatMap((plugin) => plugin.violations ?? [])
    .filter((violation) => violation.ruleName === 'F3006' || /does not exist in/i.test(violation.description))
    .map((violation) => `${violation.ruleName}: ${violation.description} (${(violation.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')})`);
}

/** Synthesizes, and fails on a warning that names a resource type the region lacks. */
export function synthesize(app: App): void {
  const assembly = app.synth();
  const blocking = blockingWarnings(assembly.directory);
  if (blocking.length > 0) {
    throw new Error(`The template uses what the region does not offer:\n  ${blocking.join('\n  ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    synthesize(buildApp().app);
  } catch (error) {
    if (!(error instanceof MissingSetting)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
