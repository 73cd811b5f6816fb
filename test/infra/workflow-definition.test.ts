import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { synthesizeLocal } from '../../infra/local/synth.js';
import { LAMBDA_TRANSIENT_ERRORS } from '../../workflows/subsidy-workflow.js';

type State = { Type: string; Resource?: string; TimeoutSeconds?: number; Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[]; Default?: string; Choices?: unknown[] };
type Definition = { StartAt: string; States: Record<string, State> };

describe('the workflow the local stack executes', () => {
  const { definition } = synthesizeLocal() as unknown as { definition: Definition };

  it('is the ASL CDK synthesizes, valid per asl-validator', async () => {
    const { isValid, errorsText } = await validator(structuredClone(definition));
    expect(isValid, errorsText()).toBe(true);
    expect(definition.StartAt).toBe('Assess');
    expect(definition.States['Review PARK_PRELIM']?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(definition.States.Grant?.Resource).toBe('arn:aws:states:::lambda:invoke');
  });

  it('retries throttling and Lambda service errors on every Lambda task, the review waits included', () => {
    const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name)).toEqual(expect.arrayContaining(['Assess', 'Grant', 'Review PARK_PRELIM', 'Review DEPT_REVIEW', 'Await revision']));
    for (const [name, state] of tasks) {
      const retried = (state.Retry ?? []).filter((retry) => (retry.MaxAttempts ?? 3) > 0).flatMap((retry) => retry.ErrorEquals);
      for (const error of ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException', 'Sandbox.Timedout']) {
        expect(retried, `${name} retries ${error}`).toContain(error);
      }
      expect(LAMBDA_TRANSIENT_ERRORS.every((error) => retried.includes(error)), name).toBe(true);
    }
  });

  it('gives every Choice a Default, so an unexpected decision fails the execution visibly', () => {
    const choices = Object.entries(definition.States).filter(([, state]) => state.Type === 'Choice');
    expect(choices.length).toBeGreaterThanOrEqual(3);
    for (const [name, state] of choices) {
      expect(state.Default, name).toBeDefined();
      expect(definition.States[state.Default!], name).toBeDefined();
    }
    const decision = definition.States['PARK_PRELIM decision']!;
    expect(definition.States[decision.Default!]).toMatchObject({ Type: 'Fail', Error: 'UnexpectedInput' });
  });

  it('follows the workflow construct: other review stages give another definition', () => {
    const changed = synthesizeLocal({ stages: [{ stage: 'DEPT_REVIEW', dept: 'program' }] }).definition as unknown as Definition;
    expect(Object.keys(definition.States)).toContain('Review PARK_PRELIM');
    expect(Object.keys(changed.States)).not.toContain('Review PARK_PRELIM');
    expect(Object.keys(changed.States)).toContain('Review DEPT_REVIEW');
  });
});
