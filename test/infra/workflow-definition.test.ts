import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { synthesizeLocal } from '../../infra/local/synth.js';

type Definition = { StartAt: string; States: Record<string, { Type: string; Resource?: string; TimeoutSeconds?: number }> };

describe('the workflow the local stack executes', () => {
  const { definition } = synthesizeLocal() as unknown as { definition: Definition };

  it('is the ASL CDK synthesizes, valid per asl-validator', async () => {
    const { isValid, errorsText } = await validator(structuredClone(definition));
    expect(isValid, errorsText()).toBe(true);
    expect(definition.StartAt).toBe('Assess');
    expect(definition.States['Review PARK_PRELIM']?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(definition.States.Grant?.Resource).toBe('arn:aws:states:::lambda:invoke');
  });

  it('follows the workflow construct: other review stages give another definition', () => {
    const changed = synthesizeLocal({ stages: [{ stage: 'DEPT_REVIEW', dept: 'program' }] }).definition as unknown as Definition;
    expect(Object.keys(definition.States)).toContain('Review PARK_PRELIM');
    expect(Object.keys(changed.States)).not.toContain('Review PARK_PRELIM');
    expect(Object.keys(changed.States)).toContain('Review DEPT_REVIEW');
  });
});
