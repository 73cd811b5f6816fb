import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../schemas/api.js';
import { API_PATH_PATTERNS } from '../../infra/console.js';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

type Resource = { Type: string; Properties: Record<string, any> };

describe('cdk synth (npm run synth, after the console build npm test has already made)', () => {
  const outdir = path.join(PROJECT_ROOT, 'cdk.out');
  let resources: [string, Resource][] = [];

  it('synthesizes the app with cdk-nag AwsSolutions and no unacknowledged finding', () => {
    // Throws (exit code ≠ 0) on any unacknowledged finding. The other partitions: test/infra/stack.test.ts.
    // Not `npm run synth`: its console build would empty console/dist while the browser and console-file
    // tests serve it.
    execFileSync('npx', ['cdk', 'synth', '--quiet', '-c', 'region=us-east-1', '-c', 'jwtIssuer=https://login.example.gov.cn/realms/jcg'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      stdio: 'pipe',
    });
    const report = readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions');
    resources = Object.entries(JSON.parse(readFileSync(path.join(outdir, 'JcgSubsidy.template.json'), 'utf8')).Resources);
    // CDK's own handlers (console deployment, S3 bucket notifications) are not the project's functions.
    const functions = resources.filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment') && !id.startsWith('BucketNotificationsHandler'));
    // 9 API groups (公示, the inbox and documents among them), 6 workflow steps, the outbox relay, the inbox and email consumers, the document scanner.
    expect(functions.length).toBe(19);
    for (const [, fn] of functions) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  }, 300_000);

  it('bundles the pinned AWS SDK into every function instead of using the runtime’s copy', () => {
    const bundles = readdirSync(outdir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name.startsWith('asset.')).map((entry) => entry.name)
      .flatMap((dir) => readdirSync(path.join(outdir, dir)).filter((file) => file === 'index.mjs').map((file) => path.join(outdir, dir, file)));
    expect(bundles.length).toBeGreaterThanOrEqual(12);
    for (const bundle of bundles) {
      const code = readFileSync(bundle, 'utf8');
      expect(code, bundle).not.toMatch(/(from|import\()\s*["']@aws-sdk\//);
      // (Not inside the SDK's own messages, which quote `[require("@aws-sdk/…")]`.)
      expect(code, bundle).not.toMatch(/(?<!\[)require\(["']@aws-sdk\//);
    }
  });

  it('fails with a clear message when no issuer is given', () => {
    let failure = '';
    try {
      execFileSync('npx', ['cdk', 'synth', '--quiet', '-c', 'region=us-east-1'], { cwd: PROJECT_ROOT, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, stdio: 'pipe' });
    } catch (error) {
      failure = String((error as { stderr?: Buffer }).stderr);
    }
    expect(failure).toContain('Missing setting jwtIssuer: pass -c jwtIssuer=');
  }, 180_000);

  it('puts the console and the API behind one CloudFront origin, every API path to API Gateway uncached', () => {
    const [, distribution] = resources.find(([, r]) => r.Type === 'AWS::CloudFront::Distribution')!;
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    const behaviors = config.CacheBehaviors as { PathPattern: string; AllowedMethods: string[]; CachePolicyId: string }[];
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([...API_PATH_PATTERNS].sort());
    // Every route of the contract is reached through one of the patterns.
    for (const endpoint of Object.values(ENDPOINTS)) {
      const concrete = endpoint.path.replace(/\{\w+\}/g, 'x');
      expect(behaviors.some((b) => concrete.startsWith(b.PathPattern.replace(/\*$/, ''))), endpoint.path).toBe(true);
    }
    for (const behavior of behaviors) {
      expect(behavior.AllowedMethods).toContain('POST');
      // Managed-CachingDisabled: nothing the API answers is cached at the edge.
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    }
    const [, headers] = resources.find(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy')!;
    const csp = JSON.stringify(headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'; script-src 'self'");
    const deployments = resources.filter(([, r]) => r.Type === 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const deployed = deployments.map(([, r]) => JSON.stringify(r.Properties)).join();
    expect(deployed).toContain('console-config.json');
  });
});
