import { ENDPOINTS } from '../../schemas/api.js';
import { decisionProblem } from '../domain/review.js';
import { conflict, forbidden, invalid, notFound } from '../http/errors.js';
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
  if (!task || task.dept !== principal.dept) throw notFound('任务');
  return task;
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
    try {
      return { status: 200, body: taskView(await claimTask(task, principal.sub, true)) };
    } catch (error) {
      if (error instanceof ConflictError) throw conflict(task.status === 'OPEN' ? `任务已由 ${task.claimedBy ?? '他人'} 认领` : '该任务已处理');
      throw error;
    }
  }),

  route(ENDPOINTS.unclaimTask, async ({ principal, params }) => {
    const task = await visibleTask(params.taskId, reviewer(principal));
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
    if (task.status !== 'OPEN') {
      // A retry of a decision whose delivery failed delivers it now rather than waiting for the relay.
      if (task.status === 'DECIDED') await deliverPending(application);
      throw conflict('该任务已处理');
    }
    if (task.claimedBy && task.claimedBy !== principal.sub) throw forbidden(`该任务已由 ${task.claimedBy} 认领，只能由认领人处理`);
    // Separation of duties: one person decides at most one stage of an application.
    const otherStage = application.deciders?.some((d) => d.slice(d.indexOf(':') + 1) === principal.sub && !d.startsWith(`${task.stage}:`));
    if (otherStage) throw forbidden('同一人只能审核同一申请的一个环节');
    const problem = decisionProblem({ ...body, stage: task.stage, taskAmount: task.amount, duplicateWarnings: application.duplicateWarnings ?? [] });
    if (problem) throw invalid(problem.path, problem.message);
    if (application.status !== 'IN_REVIEW' || application.stage !== task.stage) throw conflict('申请已不在此审核环节');

    let decided: TaskRecord;
    try {
      decided = await recordDecision(task, application, {
        decision: body.decision,
        decidedBy: principal.sub,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.approvedAmount ? { approvedAmount: body.approvedAmount } : {}),
      });
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('该任务已由他人处理或申请已变更');
      throw error;
    }
    return { status: 200, body: { ...taskView(decided), decision: decided.decision } };
  }),
]);
