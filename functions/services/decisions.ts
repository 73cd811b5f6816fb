import { leadershipRequired } from '../domain/review.js';
import { ParametersInForce } from '../domain/parameters.js';
import type { ApplicationRecord } from '../store/applications.js';
import { loadParameters } from '../store/parameters.js';
import { type TaskRecord, markDelivered } from '../store/tasks.js';
import { resumeWorkflow } from './workflow.js';

/**
 * Hands a recorded decision to the workflow, with whether the amount now under review needs leadership
 * sign-off, and marks it delivered. Delivering again is harmless, so a decision whose delivery was
 * interrupted is simply delivered again: by a reviewer's retry, or by the redelivery job.
 */
export async function deliverDecision(task: TaskRecord, application: Pick<ApplicationRecord, 'submittedOn' | 'assessment'>): Promise<void> {
  const amount = task.approvedAmount ?? task.amount;
  const threshold = new ParametersInForce(await loadParameters(), application.submittedOn).money('review.leadership-threshold');
  await resumeWorkflow(task.token, { decision: task.decision!, amount, leadershipRequired: leadershipRequired(application.assessment?.amount, amount, threshold) });
  await markDelivered(task.taskId);
}
