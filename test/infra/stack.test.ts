import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, CfnResource } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { build } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildApp, synthesize } from '../../infra/app.js';
import { EVENT_CONSUMERS } from '../../infra/api-routes.js';
import { API_FUNCTIONS, FUNCTION_SIZES, TABLE_ACCESS, type FunctionId } from '../../infra/stack.js';
import { WAF_RATE_LIMIT_PER_5_MINUTES, WAF_OBJECTIONS_PER_5_MINUTES } from '../../infra/console-site.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

type Resource = { Type: string; Properties: Record<string, any> };
type Template = { Resources: Record<string, Resource> };

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const BASE_CONTEXT = { 'aws:cdk:bundling-stacks': [], jwtIssuer: 'https://login.example.gov.cn/realms/jcg', jwtAudience: 'jcg-subsidy' };
const SMTP_SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:jcg-smtp-AbCdEf';
// AWS China needs its own domain and certificate, and (no SES) an SMTP relay for notification mail.
const CHINA_DOMAIN = { domainName: 'jcg.example.gov.cn', iamCertificateId: 'ASCAEXAMPLECERTIFICATE', smtpHost: 'smtp.example.gov.cn', smtpPort: '465', smtpSecretArn: SMTP_SECRET_ARN };

/** Synthesizes the app as `npm run synth` does (cdk-nag included, region warnings fatal), without bundling. */
function synth(context: Record<string, unknown>): { app: App; template: Template; stack: ReturnType<typeof buildApp>['stack'] } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'jcg-stack-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { ...BASE_CONTEXT, ...context } });
  const { stack } = buildApp(app);
  synthesize(app);
  const template = app.synth().getStackByName(stack.stackName).template as Template;
  return { app, template, stack };
}

const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The Lambda functions of the app itself (not CDK's BucketDeployment handler), by logical id. */
function appFunctions(template: Template) {
  return ofType(template, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment') && !id.startsWith('BucketNotificationsHandler'));
}

/** Every action the identity policies attached to a function's role allow. */
function roleActions(template: Template, fn: Resource): string[] {
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  return ofType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement)
    .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());
}

/** The DynamoDB actions a bundle's code can send: commands and transaction items left after tree shaking. */
async function actionsInCode(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [path.join(PROJECT_ROOT, entry)], bundle: true, write: false, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  const code = result.outputFiles[0]!.text;
  const actions = new Set<string>();
  const commands: Record<string, string[]> = {
    GetCommand: ['GetItem'], BatchGetCommand: ['BatchGetItem'], QueryCommand: ['Query'], ScanCommand: ['Scan'],
    PutCommand: ['PutItem'], UpdateCommand: ['UpdateItem'], DeleteCommand: ['DeleteItem'], BatchWriteCommand: ['BatchWriteItem'],
    TransactGetCommand: ['GetItem'],
  };
  // esbuild renames an import that two modules share (GetCommand2): the digits are not part of the name.
  for (const [, name] of code.matchAll(/new (\w+?Command)\d*\(/g)) for (const action of commands[name!] ?? []) actions.add(action);
  // A transaction is authorized item by item (DynamoDB developer guide, "Using IAM with transactions").
  if (/new TransactWriteCommand\(/.test(code)) {
    for (const [, item] of code.matchAll(/\b(Put|Update|Delete|ConditionCheck):\s*\{/g)) actions.add(item === 'ConditionCheck' ? 'ConditionCheckItem' : `${item}Item`);
  }
  return [...actions].sort();
}

describe('the CDK app, synthesized for each partition', () => {
  const standard = synth({ region: 'us-east-1' });
  const beijing = synth({ region: 'cn-north-1', ...CHINA_DOMAIN });
  const ningxia = synth({ region: 'cn-northwest-1', ...CHINA_DOMAIN });
  const regions = { 'us-east-1': standard, 'cn-north-1': beijing, 'cn-northwest-1': ningxia };

  const STREAM_READ = ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'];
  it('gives each function exactly the DynamoDB actions its code sends', async () => {
    const { stack, template } = standard;
    for (const [id, fn] of Object.entries(stack.functions) as [FunctionId, (typeof stack.functions)[FunctionId]][]) {
      const entry = stack.functionEntries.find((e) => e.logicalId === stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnResource)))!.entry;
      const dynamodb = roleActions(template, template.Resources[stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnResource))]!)
        .filter((action) => action.startsWith('dynamodb:'))
        .map((action) => action.slice('dynamodb:'.length));
      // Reading the stream is the event source mapping's (it polls with the function's role), not the code's.
      const stream = dynamodb.filter((action) => STREAM_READ.includes(action)).sort();
      expect(stream, id).toEqual(id.endsWith('Consumer') ? [...STREAM_READ].sort() : []);
      const granted = dynamodb.filter((action) => !STREAM_READ.includes(action)).sort();
      expect(granted, id).toEqual([...new Set(await actionsInCode(entry))].sort());
      expect(granted, id).toEqual([...TABLE_ACCESS[id]].sort());
      expect(granted, id).not.toContain('Scan');
    }
  }, 60_000);

  it.each(['us-east-1', 'cn-north-1', 'cn-northwest-1'] as const)('publishes event items from the table stream to the inbox consumer, with an encrypted, alarmed failure queue (%s)', (region) => {
    const { stack, template } = regions[region];
    const [table] = ofType(template, 'AWS::DynamoDB::GlobalTable');
    expect(table![1].Properties!.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    const consumer = stack.resolve(stack.getLogicalId(stack.functions.InboxConsumer.node.defaultChild as CfnResource));
    const esm = mappings.find(([, m]) => m.Properties.FunctionName.Ref === consumer)![1].Properties!;
    expect(esm).toMatchObject({
      FunctionName: { Ref: consumer },
      EventSourceArn: { 'Fn::GetAtt': [table![0], 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86_400,
    });
    const pattern = JSON.parse((esm.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]!.Pattern);
    expect(pattern).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Event'] }, type: { S: [...EVENT_CONSUMERS.inbox.eventTypes] } } } });
    const queueId = (esm.DestinationConfig as { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } }).OnFailure.Destination['Fn::GetAtt'][0];
    expect(template.Resources[queueId]!.Properties!.KmsMasterKeyId).toBeDefined();
    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties!.Dimensions ?? []).includes(queueId));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  it.each(['us-east-1', 'cn-north-1'] as const)('mails notifications through SES where the partition has it, else through the SMTP relay given by context, retrying for a day (%s)', (region) => {
    const { stack, template } = regions[region];
    const id = stack.resolve(stack.getLogicalId(stack.functions.EmailConsumer.node.defaultChild as CfnResource));
    const fn = template.Resources[id]!;
    const env = fn.Properties.Environment.Variables;
    const [, esm] = ofType(template, 'AWS::Lambda::EventSourceMapping').find(([, m]) => m.Properties.FunctionName.Ref === id)!;
    expect(esm.Properties).toMatchObject({ MaximumRetryAttempts: 10_000, MaximumRecordAgeInSeconds: 86_400, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(JSON.parse(esm.Properties.FilterCriteria.Filters[0].Pattern).dynamodb.NewImage.type.S).toEqual([...EVENT_CONSUMERS.email.eventTypes]);
    expect(env.CONSOLE_URL).toBeDefined();
    if (region === 'us-east-1') {
      expect(env).toMatchObject({ MAIL_TRANSPORT: 'ses' });
      expect(env.SMTP_HOST).toBeUndefined();
      expect(roleActions(template, fn)).toContain('ses:SendEmail');
    } else {
      expect(env).toMatchObject({ MAIL_TRANSPORT: 'smtp', SMTP_HOST: 'smtp.example.gov.cn', SMTP_PORT: '465', SMTP_REQUIRE_TLS: 'true', SMTP_SECRET_ARN: SMTP_SECRET_ARN });
      expect(roleActions(template, fn)).not.toContain('ses:SendEmail');
      expect(roleActions(template, fn)).toContain('secretsmanager:GetSecretValue');
    }
  });

  it('lets the applications API answer the revision wait (PUT /applications/{id} sends SendTaskSuccess)', () => {
    const { stack, template } = standard;
    const applications = template.Resources[stack.resolve(stack.getLogicalId(stack.functions.ApplicationsApi.node.defaultChild as CfnResource))]!;
    expect(roleActions(template, applications)).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:StartExecution', 'states:StopExecution']));
  });

  it('sets a timeout and memory on every function, API functions under the 30 s integration limit', () => {
    const functions = appFunctions(standard.template);
    expect(functions).toHaveLength(Object.keys(FUNCTION_SIZES).length);
    for (const [id, fn] of functions) {
      expect(fn.Properties.Timeout, id).toBeGreaterThan(3);
      expect(fn.Properties.MemorySize, id).toBeGreaterThanOrEqual(256);
    }
    for (const id of API_FUNCTIONS) {
      const [, fn] = functions.find(([logicalId]) => logicalId.startsWith(id))!;
      expect(fn.Properties.Timeout, id).toBeLessThan(30);
    }
  });

  it('encrypts the alarm topic with a key CloudWatch may use, and alarms on errors and throttles of every function', () => {
    const { template } = synth({ region: 'us-east-1', alarmEmail: 'ops@example.gov.cn' });
    const [, topic] = ofType(template, 'AWS::SNS::Topic')[0]!;
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const statements = template.Resources[keyId]!.Properties.KeyPolicy.Statement as { Principal: { Service?: string }; Action: string[] }[];
    const cloudwatch = statements.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com')!;
    expect(cloudwatch.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(ofType(template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties)).toEqual([expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.gov.cn' })]);

    const alarms = ofType(template, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    for (const id of Object.keys(FUNCTION_SIZES)) {
      expect(alarms.some((a) => a.startsWith(`${id}Errors`)), `${id} errors`).toBe(true);
      expect(alarms.some((a) => a.startsWith(`${id}Throttles`)), `${id} throttles`).toBe(true);
    }
    for (const id of ['TableThrottled', 'RedeliveryFailed', 'WorkflowFailed', 'Api5xx']) expect(alarms.some((a) => a.startsWith(id)), id).toBe(true);
    expect(ofType(standard.template, 'AWS::SNS::Subscription')).toHaveLength(0);
  });

  it('expires idempotency records and keeps payment files, removing only stale uploads and replaced versions', () => {
    const [, table] = ofType(standard.template, 'AWS::DynamoDB::GlobalTable')[0]!;
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    const exportsBucket = ofType(standard.template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Exports') && !id.includes('AccessLogs'))!;
    const rules = exportsBucket[1].Properties.LifecycleConfiguration.Rules as Record<string, any>[];
    expect(rules.find((r) => r.AbortIncompleteMultipartUpload)?.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 1 });
    expect(rules.find((r) => r.NoncurrentVersionExpiration)?.NoncurrentVersionExpiration.NoncurrentDays).toBeGreaterThanOrEqual(3650);
    expect(rules.some((r) => r.ExpirationInDays !== undefined)).toBe(false);
  });

  it('traces with X-Ray in the standard partition only', () => {
    for (const [region, { template }] of Object.entries(regions)) {
      const tracing = region.startsWith('cn-') ? undefined : { Mode: 'Active' };
      for (const [id, fn] of appFunctions(template)) expect(fn.Properties.TracingConfig, `${region} ${id}`).toEqual(tracing);
      const [, machine] = ofType(template, 'AWS::StepFunctions::StateMachine')[0]!;
      expect(Boolean(machine.Properties.TracingConfiguration?.Enabled), region).toBe(!region.startsWith('cn-'));
    }
  });

  it('uses an Origin Access Identity, the ICP-filed domain and an IAM certificate in China; OAC elsewhere', () => {
    expect(ofType(standard.template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
    for (const { template } of [beijing, ningxia]) {
      expect(ofType(template, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(0);
      expect(ofType(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(1);
      const [, distribution] = ofType(template, 'AWS::CloudFront::Distribution')[0]!;
      expect(distribution.Properties.DistributionConfig.Aliases).toEqual([CHINA_DOMAIN.domainName]);
      expect(distribution.Properties.DistributionConfig.ViewerCertificate).toEqual({
        IamCertificateId: CHINA_DOMAIN.iamCertificateId,
        SslSupportMethod: 'sni-only',
        MinimumProtocolVersion: 'TLSv1.2_2021',
      });
      expect(distribution.Properties.DistributionConfig.WebACLId).toBeUndefined();
    }
  });

  it('writes no partition or URL suffix by hand', () => {
    for (const [region, { template }] of Object.entries(regions)) {
      const json = JSON.stringify(template);
      expect(json, region).not.toMatch(/arn:aws:/);
      // Service principals are service.amazonaws.com in every partition; URLs must use AWS::URLSuffix.
      // GuardDuty's malware protection plan principal is the one service principal with a dotted name.
      const dotted = ['malware-protection-plan.guardduty.amazonaws.com'];
      expect(json.match(/[\w.-]*amazonaws\.com[\w./-]*/g)?.filter((s) => !/^[\w-]+\.amazonaws\.com$/.test(s) && !dotted.includes(s)) ?? [], region).toEqual([]);
    }
  });

  it('puts a per-IP rate-based WAF rule in front of CloudFront in us-east-1, and takes an existing ACL elsewhere', () => {
    const [aclId, acl] = ofType(standard.template, 'AWS::WAFv2::WebACL')[0]!;
    expect(acl.Properties.Scope).toBe('CLOUDFRONT');
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement).toMatchObject({ Limit: WAF_RATE_LIMIT_PER_5_MINUTES, AggregateKeyType: 'IP' });
    // 公示 objections (no sign-in) have a tighter limit of their own.
    expect(acl.Properties.Rules[1].Statement.RateBasedStatement).toMatchObject({
      Limit: WAF_OBJECTIONS_PER_5_MINUTES,
      AggregateKeyType: 'IP',
      ScopeDownStatement: { ByteMatchStatement: { SearchString: '/objections', PositionalConstraint: 'ENDS_WITH' } },
    });
    const [, distribution] = ofType(standard.template, 'AWS::CloudFront::Distribution')[0]!;
    expect(distribution.Properties.DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });

    const arn = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/jcg/abcd';
    const frankfurt = synth({ region: 'eu-central-1', webAclArn: arn }).template;
    expect(ofType(frankfurt, 'AWS::WAFv2::WebACL')).toHaveLength(0);
    expect(ofType(frankfurt, 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig.WebACLId).toBe(arn);
  });

  it('switches off the execute-api endpoint when the API has its own domain behind CloudFront', () => {
    expect(ofType(standard.template, 'AWS::ApiGatewayV2::Api')[0]![1].Properties.DisableExecuteApiEndpoint).toBeFalsy();
    const { template } = synth({
      region: 'us-east-1',
      apiDomainName: 'api.jcg.example.gov.cn',
      apiCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/abcd',
    });
    expect(ofType(template, 'AWS::ApiGatewayV2::Api')[0]![1].Properties.DisableExecuteApiEndpoint).toBe(true);
    const [domainId] = ofType(template, 'AWS::ApiGatewayV2::DomainName')[0]!;
    const origins = ofType(template, 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig.Origins as { DomainName: unknown }[];
    expect(origins.map((o) => o.DomainName)).toContainEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
  });

  it('refuses to synthesize without an issuer, a region, or (in China) a domain and certificate', () => {
    const attempt = (context: Record<string, unknown>) => () => buildApp(new App({ context: { ...BASE_CONTEXT, region: 'us-east-1', ...context } }));
    const saved = process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_REGION;
    try {
      expect(attempt({ jwtIssuer: undefined })).toThrow(/Missing setting jwtIssuer: pass -c jwtIssuer=/);
      expect(attempt({ region: undefined })).toThrow(/Missing setting region: pass -c region=/);
      expect(attempt({ region: 'cn-north-1' })).toThrow(/-c domainName=.*-c iamCertificateId=/);
      expect(attempt({ region: 'cn-northwest-1', domainName: 'jcg.example.gov.cn' })).toThrow(/iamCertificateId/);
      expect(attempt({ region: 'cn-north-1', ...CHINA_DOMAIN, smtpHost: undefined })).toThrow(/no Amazon SES: pass -c smtpHost=/);
    } finally {
      if (saved !== undefined) process.env.CDK_DEFAULT_REGION = saved;
    }
  });

  it('fails the synth when the template uses a resource type the region does not have', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'jcg-stack-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: { ...BASE_CONTEXT, region: 'cn-north-1', ...CHINA_DOMAIN } });
    const { stack } = buildApp(app);
    new CfnResource(stack, 'Oac', {
      type: 'AWS::CloudFront::OriginAccessControl',
      properties: { OriginAccessControlConfig: { Name: 'oac', OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } },
    });
    expect(() => synthesize(app)).toThrow(/AWS::CloudFront::OriginAccessControl' does not exist in 'cn-north-1'/);
  });
});

describe('presigned payment-file links', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  async function linkFor(env: Record<string, string | undefined>): Promise<URL> {
    process.env = { ...saved, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', EXPORTS_BUCKET: 'jcgsubsidy-exports-abc123', ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
    vi.resetModules();
    const { downloadUrl } = await import('../../functions/services/exports.js');
    return new URL(await downloadUrl('batches/B1/payments-B1.csv'));
  }

  it('are virtual-hosted in AWS, so the console’s CSP (from the synthesized template) allows them', async () => {
    for (const region of ['us-east-1', 'cn-north-1']) {
      const url = await linkFor({ AWS_REGION: region, AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: undefined });
      const { template } = synth(region.startsWith('cn-') ? { region, ...CHINA_DOMAIN } : { region });
      const [, policy] = ofType(template, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
      // CloudFormation fills in AWS::URLSuffix per partition (amazonaws.com, amazonaws.com.cn).
      const resolve = (value: any): string =>
        typeof value === 'string' ? value
        : value.Ref === 'AWS::URLSuffix' ? RegionInfo.get(region).domainSuffix!
        : value['Fn::Join'] ? value['Fn::Join'][1].map(resolve).join(value['Fn::Join'][0])
        : JSON.stringify(value);
      const csp = resolve(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
      const wildcard = /https:\/\/\*\.s3\.([\w.-]+)/.exec(csp)?.[1];
      expect(wildcard, csp).toBeDefined();
      expect(url.hostname).toBe(`jcgsubsidy-exports-abc123.s3.${wildcard}`);
      expect(url.pathname).toBe('/batches/B1/payments-B1.csv');
    }
  }, 60_000);

  it('are path-style only against a local S3 endpoint', async () => {
    const url = await linkFor({ AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' });
    expect(url.host).toBe('127.0.0.1:4569');
    expect(url.pathname).toBe('/jcgsubsidy-exports-abc123/batches/B1/payments-B1.csv');
  });
});
