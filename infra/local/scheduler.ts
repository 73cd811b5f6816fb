import { randomUUID } from 'node:crypto';
import type { ScheduledRule } from './functions.js';
import type { AsyncOutcome, LocalLambdas } from './lambdas.js';

/** The event EventBridge sends for a scheduled rule. */
export function scheduledEvent(rule: { ruleLogicalId: string }, where: { region: string; account: string }, time = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: where.account,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: where.region,
    resources: [`arn:aws:events:${where.region}:${where.account}:rule/${rule.ruleLogicalId}`],
    detail: {},
  };
}

/**
 * EventBridge's scheduled rules, locally: each period the rule's target function is invoked
 * asynchronously (so Lambda retries a failed run twice), with a Scheduled Event. `everySeconds`
 * overrides every rule's period (to see the jobs run in a demo or a test).
 */
export function startSchedules(
  rules: readonly ScheduledRule[],
  lambdas: LocalLambdas,
  options: { region: string; account: string; everySeconds?: number; onOutcome?: (rule: ScheduledRule, outcome: AsyncOutcome) => void },
): { stop(): void } {
  const timers = rules.map((rule) =>
    setInterval(() => {
      const { done } = lambdas.invokeAsync(rule.functionLogicalId, scheduledEvent(rule, options));
      void done.then((outcome) => {
        if (outcome.condition !== 'Success') {
          process.stderr.write(`schedule ${rule.ruleLogicalId}: ${outcome.condition} after ${outcome.approximateInvokeCount} attempts: ${JSON.stringify(outcome.functionError)}\n`);
        }
        options.onOutcome?.(rule, outcome);
      });
    }, (options.everySeconds ?? rule.everySeconds) * 1000),
  );
  return { stop: () => timers.forEach(clearInterval) };
}
