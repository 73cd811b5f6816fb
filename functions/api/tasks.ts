import { ENDPOINTS } from '../../schemas/api.js';
import { yuan } from '../domain/money.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { logger } from '../logger.js';
import { resumeWorkflow } from '../services/workflow.js';
import { getApplication } from '../store/applications.js';
import { decideTask, getTask, listOpenTasks, markDelivered, type TaskRecord } from '../store/tasks.js';
import { ConflictError } from '../store/transactions.js';
import { taskView } from './views.js';

/** Hands a recorded decision to the workflow; a decision recorded but never delivered is delivered again. */
async function deliver(task: TaskRecord): Promise<void> {
  await resumeWorkflow(task.token, { decision: task.decision!, amount: task.approvedAmount ?? task.amount });
  await markDelivered(task.taskId);
}

export const handler = apiHandler([
  route(ENDPOINTS.listTasks, async ({ principal, query }) => {
    if (principal.role !== 'reviewer') throw new Error('unreachable: role checked by the route');
    const page = await listOpenTasks(principal.dept, query.limit, query.nextToken);
    const now = new Date();
    return { status: 200, body: { ...page, items: page.items.map((task) => taskView(task, now)) } };
  }),

  route(ENDPOINTS.decideTask, async ({ principal, params, body }) => {
    if (principal.role !== 'reviewer') throw new Error('unreachable: role checked by the route');
    const task = await getTask(params.taskId);
    // Another department's task is invisible to this reviewer.
    if (!task || task.dept !== principal.dept) throw notFound('任务');
    if (task.status !== 'OPEN') {
      if (!task.deliveredAt) {
        await deliver(task).catch((error) => logger.warn('redelivery failed', { taskId: task.taskId, error }));
      }
      throw conflict('该任务已处理');
    }
    if (body.decision === 'return') {
      // The workflow has no return-for-revision path yet; refusing keeps the execution from failing.
      throw conflict('退回修改尚未开放，请选择通过或不予通过');
    }
    if (body.approvedAmount !== undefined && yuan(body.approvedAmount).greaterThan(yuan(task.amount))) {
      throw invalid('approvedAmount', `核定金额不能高于待审金额 ${task.amount}`);
    }
    const application = await getApplication(task.applicationId);
    if (!application || application.status !== 'IN_REVIEW' || application.stage !== task.stage) {
      throw conflict('申请已不在此审核环节');
    }

    let decided: TaskRecord;
    try {
      decided = await decideTask(task, application, {
        decision: body.decision,
        decidedBy: principal.sub,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.approvedAmount ? { approvedAmount: body.approvedAmount } : {}),
      });
    } catch (error) {
      if (error instanceof ConflictError) throw conflict('该任务已由他人处理或申请已变更');
      throw error;
    }
    await deliver(decided);
    return { status: 200, body: { ...taskView(decided), decision: decided.decision } };
  }),
]);
