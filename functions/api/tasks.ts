import { ENDPOINTS } from '../../schemas/api.js';
import { type Refusal, claimRefusal, decisionRefusal, maySee, unclaimRefusal } from '../domain/review.js';
import { ApiError, conflict, forbidden, invalid, notFound } from '../http/errors.js';
import type { Principal } from '../http/principal.js';
import { apiHandler, route } from '../http/route.js';
import { recordDecision } from '../services/decisions.js';
import { deliverPending } from '../services/workflow.js';
import { applicationsByIds, getApplication } from '../store/applications.js';
import { type TaskRecord, claimTask, getTask, listOpenTasks } from '../store/tasks.js';
import { ConflictError } from '../store/transactions.js';
import { subjectOf, taskView } from './views.js';
import { enterpriseNames } from '../store/registry.js';

type Reviewer = Extract<Principal, { role: 'reviewer' }>;

function reviewer(principal: Principal): Reviewer {
  if (principal.role !== 'reviewer') throw new Error('unreachable: the route admits reviewers only');
  return principal;
}

/** A task of the reviewer's own department; another department's tasks are invisible (404). */
async function visibleTask(taskId: string, principal: Reviewer): Promise<TaskRecord> {
  const task = await getTask(taskId);
  if (!task || !maySee(task, principal)) throw notFound('任务');
  return task;
}

function refused(refusal: Refusal): ApiError {
  if (refusal.kind === 'invalid') return invalid(refusal.path ?? '', refusal.message);
  return refusal.kind === 'forbidden' ? forbidden(refusal.message) : conflict(refusal.message);
}

/** Who and what each task is about: the roster's names and each application's subject. */
async function aboutTasks(tasks: readonly TaskRecord[]) {
  const [names, applications] = await Promise.all([enterpriseNames(tasks.map((t) => t.uscc)), applicationsByIds(tasks.map((t) => t.applicationId))]);
  const subjects = new Map<string, string>();
  for (const application of applications) {
    const subject = subjectOf(application.details);
    if (subject) subjects.set(application.id, subject);
  }
  return { names, subjects };
}

export const handler = apiHandler([
  route(ENDPOINTS.listTasks, async ({ principal, query }) => {
    const page = await listOpenTasks(reviewer(principal).dept, query.limit, query.nextToken);
    const now = new Date();
    const about = await aboutTasks(page.items);
    return { status: 200, body: { ...page, items: page.items.map((task) => taskView(task, now, about)) } };
  }),

  route(ENDPOINTS.claimTask, async ({ principal, params }) => {
    const task = await visibleTask(params.taskId, reviewer(principal));
    const refusal = claimRefusal(task, reviewer(principal));
    if (refusal) throw refused(refusal);
    try {
      return { status: 200, body: taskView(await claimTask(task, principal.sub, true)) };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Lost a race: the task as it is now says why.
      const now = await getTask(task.taskId);
      throw refused((now && claimRefusal(now, reviewer(principal))) ?? { kind: 'conflict', message: '任务已由他人认领' });
    }
  }),

  route(ENDPOINTS.unclaimTask, async ({ principal, params }) => {
    const task = await visibleTask(params.taskId, reviewer(principal));
    const refusal = unclaimRefusal(task, reviewer(principal));
    if (refusal) throw refused(refusal);
    try {
      return { status: 200, body: taskView(await claimTask(task, principal.sub, false)) };
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('只能放弃本人认领且未处理的任务');
      throw error;
    }
  }),

  route(ENDPOINTS.decideTask, async ({ principal, params, body }) => {
    const task = await visibleTask(params.taskId, reviewer(principal));
    const application = await getApplication(task.applicationId);
    if (!application) throw notFound('申请');
    // A retry of a decision whose delivery failed delivers it now rather than waiting for the relay.
    if (task.status === 'DECIDED') await deliverPending(application);
    const refusal = decisionRefusal(task, application, reviewer(principal), body);
    if (refusal) throw refused(refusal);

    let decided: TaskRecord;
    try {
      decided = await recordDecision(task, application, {
        decision: body.decision,
        decidedBy: principal.sub,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.approvedAmount ? { approvedAmount: body.approvedAmount } : {}),
        ...(body.documentIssues ? { documentIssues: body.documentIssues } : {}),
      });
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('该任务已由他人处理或申请已变更');
      throw error;
    }
    return { status: 200, body: { ...taskView(decided), decision: decided.decision } };
  }),
]);
