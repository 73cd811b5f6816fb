import { useState } from 'preact/hooks';
import { Decision } from '../../../schemas/api';
import { ApiError, api, apiAll } from '../api';
import { session } from '../auth';
import { EnterpriseLabel, ErrorSummary, EventsView, Loading, Notice, QuoteView, StatusBadge, deptLabel, formatTime, programTitle, stageLabel, useAction, useLoad, usePrograms } from '../components';
import { DECISION_LABELS } from '../labels';
import type { Decision as DecisionChoice } from '../../../functions/domain/vocabulary';
import { formatYuan, parseYuan } from '../money';
import { navigate } from '../router';
import { ApplicationDocuments } from '../documents';
import { DetailsView, issuesByPath, zodIssues } from '../schema-form';
import type { Application, Task as ApiTask } from '../api-types';

type Task = ApiTask;

type DuplicateWarning = NonNullable<ApiTask['duplicateWarnings']>[number];

/** The warnings the reviewer must see before approving: which application, how similar, why. */
function DuplicateWarnings(props: { warnings: DuplicateWarning[] }) {
  if (props.warnings.length === 0) return null;
  return (
    <div class="panel warning" role="note" aria-labelledby="duplicates-heading">
      <h3 id="duplicates-heading">疑似重复申报（{props.warnings.length}）</h3>
      <p>以下申请的支持对象与本申请相同或相似。请核查后再作结论；通过时须填写核查意见。</p>
      <table aria-labelledby="duplicates-heading">
        <thead>
          <tr>
            <th scope="col">申请编号</th>
            <th scope="col">相似度</th>
            <th scope="col">原因</th>
          </tr>
        </thead>
        <tbody>
          {props.warnings.map((warning) => (
            <tr>
              <td data-label="申请编号">{warning.applicationId}</td>
              <td data-label="相似度">{Math.round(warning.similarity * 100)}%</td>
              <td data-label="原因">{warning.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The department's open tasks, oldest first, overdue ones marked. */
/** 公示: publishes every award of the department that awaits publicity (POST /publicity). */
function PublishNotice() {
  const action = useAction();
  const [title, setTitle] = useState('');
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const notice = await api<{ items: unknown[]; startsOn: string; endsOn: string }>('POST', '/publicity', { title });
      setTitle('');
      return `已发布公示：${notice.items.length} 个项目，公示期 ${notice.startsOn} 至 ${notice.endsOn}。`;
    });
  };
  return (
    <form onSubmit={submit} noValidate aria-label="发布公示">
      <ErrorSummary error={action.error} />
      {action.message ? <Notice>{action.message}</Notice> : null}
      <div class="field">
        <label for="f-title">公示标题</label>
        <input id="f-title" type="text" value={title} onInput={(event) => setTitle(event.currentTarget.value)} />
        <p class="hint">本部门所有待公示的项目一并公示，公示期按工作日计算；公示页面无需登录即可查看（#/public）。</p>
      </div>
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          发布公示
        </button>
      </div>
    </form>
  );
}

export function TaskList(props: { notice?: string }) {
  const programs = usePrograms();
  const dept = session.value?.claims.dept;
  const { data, error, reload } = useLoad(() => apiAll<Task>('/tasks'), []);
  const [claimError, setClaimError] = useState<Error>();
  async function claim(task: Task) {
    setClaimError(undefined);
    try {
      await api('POST', `/tasks/${task.taskId}/claim`);
      navigate(`/tasks/${task.taskId}/${task.applicationId}`);
    } catch (caught) {
      setClaimError(caught as Error);
      reload();
    }
  }
  return (
    <section>
      <h2>待办任务（{deptLabel(dept)}）</h2>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {dept === 'kejiju' || dept === 'renshe' ? <PublishNotice /> : null}
      <div class="actions">
        <button type="button" class="secondary" onClick={reload}>
          刷新
        </button>
      </div>
      <ErrorSummary error={error ?? claimError} />
      {!data && !error ? <Loading what="待办任务" /> : null}
      {data && data.length === 0 ? <p>当前没有待办任务。</p> : null}
      {data && data.length ? (
        <div class="table-wrap">
          <table class="stack">
            <caption>按到达时间排列，最早的在前</caption>
            <thead>
              <tr>
                <th scope="col">申请编号</th>
                <th scope="col">政策项目</th>
                <th scope="col">企业</th>
                <th scope="col">申报对象</th>
                <th scope="col">环节</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">到达时间</th>
                <th scope="col">办理期限</th>
                <th scope="col">认领</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.map((task) => (
                <tr class={task.overdue ? 'overdue' : undefined}>
                  <td data-label="申请编号">{task.applicationId}</td>
                  <td data-label="政策项目">{programTitle(programs.data, task.programId)}</td>
                  <td data-label="企业">
                    <EnterpriseLabel uscc={task.uscc} name={task.enterpriseName} />
                  </td>
                  <td data-label="申报对象">{task.subject ?? '—'}</td>
                  <td data-label="环节">{stageLabel(task.stage)}</td>
                  <td data-label="金额" class="num">
                    {formatYuan(task.amount)}
                  </td>
                  <td data-label="到达时间">{formatTime(task.createdAt)}</td>
                  <td data-label="办理期限">
                    {formatTime(task.dueAt)}
                    {task.overdue ? <span class="badge overdue-badge">已逾期</span> : null}
                  </td>
                  <td data-label="认领">{task.claimedBy ? (task.claimedBy === session.value?.claims.sub ? '我' : task.claimedBy) : '未认领'}</td>
                  <td data-label="操作" class="row-actions">
                    {!task.claimedBy ? (
                      <button type="button" class="secondary" onClick={() => void claim(task)} aria-label={`认领 ${task.applicationId}`}>
                        认领
                      </button>
                    ) : null}
                    <a href={`#/tasks/${task.taskId}/${task.applicationId}`} aria-label={`办理 ${task.applicationId}`}>
                      办理
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** A task: the application, its assessment with the prior grants that reduced it, its history, and the decision. */
export function TaskPage(props: { taskId: string; applicationId: string }) {
  const programs = usePrograms();
  const tasks = useLoad(() => apiAll<Task>('/tasks'), [props.taskId]);
  const { data: application, error } = useLoad(() => api<Application>('GET', `/applications/${props.applicationId}`), [props.applicationId]);
  const task = tasks.data?.find((candidate) => candidate.taskId === props.taskId);
  if (error || tasks.error) return <ErrorSummary error={error ?? tasks.error} />;
  if (!application || !tasks.data) return <Loading what="任务" />;
  return (
    <section>
      <p>
        <a href="#/tasks">← 返回待办任务</a>
      </p>
      <h2>
        审核：{programTitle(programs.data, application.programId)} <StatusBadge status={application.status} />
      </h2>
      {!task ? <Notice>该任务已办结或已撤回，无需处理。</Notice> : <TaskHeader task={task} />}
      <DuplicateWarnings warnings={task?.duplicateWarnings ?? []} />
      <dl class="summary">
        <dt>申请编号</dt>
        <dd>{application.id}</dd>
        <dt>申请企业</dt>
        <dd>
          <EnterpriseLabel uscc={application.uscc} name={application.enterpriseName} />
        </dd>
        {application.subject ? (
          <>
            <dt>申报对象</dt>
            <dd>{application.subject}</dd>
          </>
        ) : null}
        <dt>提交时间</dt>
        <dd>{formatTime(application.createdAt)}</dd>
      </dl>
      <div class="two-columns">
        <div>
          <h3>申报信息</h3>
          <DetailsView value={application.details} />
        </div>
        <div>{application.assessment ? <QuoteView quote={application.assessment} heading="系统测算（含就高不重复扣减）" /> : null}</div>
      </div>
      <h3>申报材料</h3>
      <ApplicationDocuments
        applicationId={application.id}
        {...(application.documents ? { documents: application.documents } : {})}
        {...(application.promises ? { promises: application.promises } : {})}
        {...(programs.data ? { requirements: programs.data.find((program) => program.programId === application.programId)?.documents ?? [] } : {})}
      />
      {task ? <DecisionForm task={task} /> : null}
      <h3>办理记录</h3>
      <EventsView applicationId={application.id} version={application.version} />
    </section>
  );
}

function TaskHeader(props: { task: Task }) {
  const { task } = props;
  const mine = task.claimedBy === session.value?.claims.sub;
  const [error, setError] = useState<Error>();
  const [claimedBy, setClaimedBy] = useState(task.claimedBy);
  async function toggle() {
    setError(undefined);
    try {
      const updated = await api<Task>('POST', `/tasks/${task.taskId}/${claimedBy ? 'unclaim' : 'claim'}`);
      setClaimedBy(updated.claimedBy);
    } catch (caught) {
      setError(caught as Error);
    }
  }
  return (
    <div class={`task-header${task.overdue ? ' overdue' : ''}`}>
      <p>
        {stageLabel(task.stage)} · {deptLabel(task.dept)} · 待审金额 {formatYuan(task.amount)} · 办理期限 {formatTime(task.dueAt)}
        {task.overdue ? <span class="badge overdue-badge">已逾期</span> : null}
      </p>
      <p>
        {claimedBy ? `已由${claimedBy === session.value?.claims.sub ? '我' : ` ${claimedBy} `}认领` : '尚未认领'}{' '}
        {!claimedBy || mine || claimedBy === session.value?.claims.sub ? (
          <button type="button" class="secondary" onClick={() => void toggle()}>
            {claimedBy ? '释放任务' : '认领任务'}
          </button>
        ) : null}
      </p>
      {/* What 认领 means, as the API enforces it (functions/api/tasks.ts). */}
      <p class="hint">认领表示由您办理：认领后只有您能作出审核意见，其他人看到“已认领”；未认领的任务任何本部门审核人员都可直接办理。释放任务后他人可以认领。</p>
      <ErrorSummary error={error} />
    </div>
  );
}

function DecisionForm(props: { task: Task }) {
  const [decision, setDecision] = useState<DecisionChoice>('approve');
  const [reduce, setReduce] = useState(false);
  const [approvedAmount, setApprovedAmount] = useState('');
  const [comment, setComment] = useState('');
  const { error, busy, run } = useAction();
  const errors = issuesByPath((error as ApiError | undefined)?.issues ?? []);

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(decision === 'approve' && reduce && approvedAmount ? { approvedAmount: parseYuan(approvedAmount) ?? approvedAmount } : {}),
      };
      const checked = Decision.safeParse(body);
      if (!checked.success) throw new ApiError(400, 'VALIDATION_ERROR', '请按提示修改', zodIssues(checked.error));
      await api('POST', `/tasks/${props.task.taskId}/decision`, body);
      navigate(`/tasks?done=${decision}`);
    });
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="decision-heading">
      <h3 id="decision-heading">审核意见</h3>
      <ErrorSummary error={error} />
      <fieldset class="choices">
        <legend>审核结论</legend>
        {(['approve', 'return', 'reject'] as const satisfies readonly DecisionChoice[]).map((value) => (
          <label>
            <input type="radio" name="decision" value={value} checked={decision === value} onChange={() => setDecision(value)} />
            {DECISION_LABELS[value]}
          </label>
        ))}
      </fieldset>
      {/* Only 科技局/人社局 may lower an amount (核减), with a reason the enterprise is shown; the park and leadership approve it as it stands. */}
      {decision === 'approve' && props.task.stage === 'DEPT_REVIEW' ? (
        <div class="field">
          <label>
            <input type="checkbox" checked={reduce} onChange={(event) => setReduce(event.currentTarget.checked)} /> 核减金额（低于测算金额 {formatYuan(props.task.amount)}）
          </label>
          {reduce ? (
            <>
              <label for="f-approvedAmount">核定金额（元，可写 8,000 或 20万）</label>
              <input
                id="f-approvedAmount"
                inputMode="decimal"
                value={approvedAmount}
                aria-invalid={errors.has('approvedAmount') || undefined}
                onInput={(event) => setApprovedAmount(event.currentTarget.value.trim())}
              />
              {errors.get('approvedAmount') ? <p class="field-error">{errors.get('approvedAmount')}</p> : null}
            </>
          ) : null}
        </div>
      ) : null}
      <div class="field">
        <label for="f-comment">
          意见{decision === 'approve' && !props.task.duplicateWarnings?.length && !reduce ? <span class="optional">（选填）</span> : '（必填）'}
        </label>
        <textarea id="f-comment" maxLength={2000} value={comment} aria-invalid={errors.has('comment') || undefined} onInput={(event) => setComment(event.currentTarget.value)} />
        {errors.get('comment') ? <p class="field-error">{errors.get('comment')}</p> : null}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          提交审核意见
        </button>
      </div>
    </form>
  );
}
