import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/local/paths.js';

describe('npm run synth', () => {
  it('synthesizes the app with cdk-nag AwsSolutions and no unacknowledged finding', () => {
    const outdir = path.join(PROJECT_ROOT, 'cdk.out');
    // Throws (exit code ≠ 0) on any unacknowledged finding.
    execFileSync('npm', ['run', '--silent', 'synth'], { cwd: PROJECT_ROOT, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' }, stdio: 'pipe' });
    const report = readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain('AwsSolutions');
    const template = JSON.parse(readFileSync(path.join(outdir, 'JcgSubsidy.template.json'), 'utf8'));
    const functions = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.Handler).startsWith('index'),
    );
    expect(functions.length).toBe(12);
    for (const fn of functions) expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });
});
