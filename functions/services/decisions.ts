import { leadershipRequired } from '../domain/review.js';
import { ParametersInForce } from '../domain/parameters.js';
import type { ApplicationRecord } from '../store/applications.js';
import { newOutboxItem } from '../store/outbox.js';
import { loadParameters } from '../store/parameters.js';
import { type DecisionRecord, type TaskRecord, decideTask } from '../store/tasks.js';
import { type ReviewOutcome, deliver } from './workflow.js';

/**
 * Records a decision with its delivery to the workflow in the outbox (one transaction), then delivers
 * it. The outcome says whether the amount now under review needs leadership sign-off. If the delivery
 * fails, the decision stands and the outbox relay delivers it later.
 */
export async function recordDecision(task: TaskRecord, application: ApplicationRecord, decision: DecisionRecord): Promise<TaskRecord> {
  const amount = decision.approvedAmount ?? task.amount;
  const threshold = new ParametersInForce(await loadParameters(), application.submittedOn).money('review.leadership-threshold');
  const outcome: ReviewOutcome = { decision: decision.decision, amount, leadershipRequired: leadershipRequired(application.assessment?.amount, amount, threshold) };
  const item = newOutboxItem(task.applicationId, { action: 'SendTaskSuccess', taskToken: task.token, output: JSON.stringify(outcome) });
  const decided = await decideTask(task, application, decision, item);
  await deliver(item);
  return decided;
}
