import { useEffect, useMemo, useState } from 'preact/hooks';
import { ProgramApplication } from '../../../schemas/programs';
import { ApiError, api, apiAll } from '../api';
import { session } from '../auth';
import {
  EnterpriseLabel,
  ErrorSummary,
  EventsView,
  Loading,
  Notice,
  type ProgramInfo,
  type Quote,
  QuoteView,
  StatusBadge,
  formatTime,
  programTitle,
  stageLabel,
  useAction,
  useLoad,
  usePagedList,
  usePrograms,
} from '../components';
import { STATUS_LABELS } from '../labels';
import { WITHDRAWABLE_STATUSES } from '../../../functions/domain/vocabulary';
import { formatYuan, isLess } from '../money';
import { navigate } from '../router';
import { ApplicationDocuments, type DocumentChoices, DocumentChecklist, NO_DOCUMENTS, documentsPending, submissionDocuments } from '../documents';
import { DetailsView, SchemaForm, initialValue, issuesByPath, jsonSchemaOf, zodIssues } from '../schema-form';

const DETAIL_SCHEMAS = new Map(ProgramApplication.options.map((option) => [option.shape.programId.value as string, option.shape.details]));
const formSchema = (programId: string) => jsonSchemaOf(DETAIL_SCHEMAS.get(programId)!);

/** Checks `{programId, details}` with the API's own schema; the issues carry the API's paths. */
function check(programId: string, details: unknown) {
  const result = ProgramApplication.safeParse({ programId, details });
  return result.success ? undefined : zodIssues(result.error);
}

class CheckFailed extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super('请按提示修改后再提交');
  }
}

/** 政策计算器: choose a program, fill in its form, see the amount and its breakdown, then apply. */
/** The calculator's half-filled form, kept for this tab across a reload; ID numbers are never kept. */
const DRAFT_KEY = 'calculator-draft';
const withoutIdNumbers = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutIdNumbers)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'idNumber').map(([key, inner]) => [key, withoutIdNumbers(inner)]))
      : value;
function savedDraft(): { programId: string; details: unknown } {
  try {
    const draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as { programId?: unknown; details?: unknown } | null;
    if (draft && typeof draft.programId === 'string' && DETAIL_SCHEMAS.has(draft.programId)) return { programId: draft.programId, details: draft.details ?? {} };
  } catch {
    // A draft that cannot be read is dropped.
  }
  return { programId: '', details: {} };
}

export function Calculator() {
  const programs = usePrograms();
  const [draft] = useState(savedDraft);
  const [programId, setProgramId] = useState(draft.programId);
  const [details, setDetails] = useState<unknown>(draft.details);
  useEffect(() => {
    if (programId) sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ programId, details: withoutIdNumbers(details) }));
    else sessionStorage.removeItem(DRAFT_KEY);
  }, [programId, details]);
  const [quote, setQuote] = useState<Quote>();
  const [documents, setDocuments] = useState<DocumentChoices>(NO_DOCUMENTS);
  const { error, busy, run: act, setError } = useAction();
  // One key per draft: a retry after a lost answer returns the same application instead of a second one.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const schema = useMemo(() => (programId ? formSchema(programId) : undefined), [programId]);
  const errors = useMemo(() => issuesByPath((error as CheckFailed | ApiError | undefined)?.issues ?? []), [error]);

  const choose = (id: string) => {
    setProgramId(id);
    setDetails(id ? initialValue(formSchema(id), { defs: formSchema(id).$defs ?? {} }) : {});
    setQuote(undefined);
    setDocuments(NO_DOCUMENTS);
    setError(undefined);
  };
  const edit = (next: unknown) => {
    setDetails(next);
    setQuote(undefined);
    setIdempotencyKey(crypto.randomUUID());
  };

  const run = (action: 'quote' | 'submit') =>
    act(async () => {
      const issues = check(programId, details);
      if (issues) throw new CheckFailed(issues);
      if (action === 'quote') setQuote(await api<Quote>('POST', '/quotes', { programId, details }));
      else {
        const application = await api<{ id: string }>('POST', '/applications', { programId, details, ...submissionDocuments(documents) }, { 'idempotency-key': idempotencyKey });
        sessionStorage.removeItem(DRAFT_KEY);
        navigate(`/applications/${application.id}?submitted=1`);
      }
    });

  if (programs.error) return <ErrorSummary error={programs.error} />;
  if (!programs.data) return <Loading what="政策项目" />;
  return (
    <section>
      <h2>政策计算器与申报</h2>
      <p class="lead">选择政策项目并填写信息，先试算可获得的支持金额及计算依据，确认无误后提交申请。</p>
      <div class="field">
        <label for="program">政策项目</label>
        <select id="program" value={programId} onChange={(event) => choose(event.currentTarget.value)}>
          <option value="">请选择政策项目</option>
          {programs.data.map((program: ProgramInfo) => (
            <option value={program.programId}>
              {program.title}（{program.measures.join('、')}）
            </option>
          ))}
        </select>
      </div>
      {schema ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void run('quote');
          }}
          noValidate
        >
          <ErrorSummary error={error} />
          <SchemaForm schema={schema} value={details} onChange={edit} errors={errors} path="details" />
          <DocumentChecklist requirements={programs.data.find((program) => program.programId === programId)?.documents ?? []} value={documents} onChange={setDocuments} />
          <div class="actions">
            <button type="submit" disabled={busy}>
              试算
            </button>
            <button type="button" class="primary" disabled={busy || !quote || !quote.eligible || documentsPending(documents)} onClick={() => void run('submit')}>
              提交申请
            </button>
            {!quote ? <span class="muted">请先试算，确认金额后提交</span> : null}
          </div>
          {quote ? <QuoteView quote={quote} /> : null}
        </form>
      ) : null}
    </section>
  );
}

export type { Application } from '../api-types';
import type { Application, ApplicationEvent } from '../api-types';

/** Applications, newest first, a page at a time; filtered by status. */
export function ApplicationList(props: { title: string }) {
  const programs = usePrograms();
  const [status, setStatus] = useState('');
  const [programId, setProgramId] = useState('');
  const staff = session.value?.claims.role !== 'enterprise';
  // The text filters apply when the form is sent, not on every key.
  const [search, setSearch] = useState({ enterprise: '', id: '' });
  const [draft, setDraft] = useState(search);
  const { data, error, loading, pager } = usePagedList<Application>('/applications', {
    limit: '20',
    ...(status ? { status } : {}),
    ...(programId ? { programId } : {}),
    ...(search.enterprise ? { enterprise: search.enterprise } : {}),
    ...(search.id ? { id: search.id } : {}),
  });
  return (
    <section>
      <h2>{props.title}</h2>
      <div class="toolbar">
        <label for="status-filter">状态</label>
        <select
          id="status-filter"
          value={status}
          onChange={(event) => {
            setStatus(event.currentTarget.value);
          }}
        >
          <option value="">全部</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
        <label for="program-filter">政策项目</label>
        <select
          id="program-filter"
          value={programId}
          onChange={(event) => {
            setProgramId(event.currentTarget.value);
          }}
        >
          <option value="">全部</option>
          {programs.data?.map((program) => (
            <option value={program.programId}>{program.title}</option>
          ))}
        </select>
      </div>
      {staff ? (
        <form
          class="toolbar"
          role="search"
          aria-label="按企业或申请编号查询"
          onSubmit={(event) => {
            event.preventDefault();
            setSearch({ enterprise: draft.enterprise.trim(), id: draft.id.trim().toUpperCase() });
          }}
        >
          <label for="enterprise-filter">企业（名称或统一社会信用代码）</label>
          <input id="enterprise-filter" value={draft.enterprise} onInput={(event) => setDraft({ ...draft, enterprise: event.currentTarget.value })} />
          <label for="id-filter">申请编号</label>
          <input id="id-filter" value={draft.id} onInput={(event) => setDraft({ ...draft, id: event.currentTarget.value })} />
          <button type="submit" class="secondary">
            查询
          </button>
        </form>
      ) : null}
      <ErrorSummary error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        data.items.length === 0 ? (
          <p>暂无申请。</p>
        ) : (
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">申请编号</th>
                  {staff ? <th scope="col">企业</th> : null}
                  <th scope="col">政策项目</th>
                  <th scope="col">申报对象</th>
                  <th scope="col">状态</th>
                  <th scope="col">当前环节</th>
                  <th scope="col" class="num">
                    金额
                  </th>
                  <th scope="col">更新时间</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((application) => (
                  <tr>
                    <td data-label="申请编号">
                      <a href={`#/applications/${application.id}`}>{application.id}</a>
                    </td>
                    {staff ? (
                      <td data-label="企业">
                        <EnterpriseLabel uscc={application.uscc} name={application.enterpriseName} />
                      </td>
                    ) : null}
                    <td data-label="政策项目">{programTitle(programs.data, application.programId)}</td>
                    <td data-label="申报对象">{application.subject ?? '—'}</td>
                    <td data-label="状态">
                      <StatusBadge status={application.status} />
                    </td>
                    <td data-label="当前环节">{stageLabel(application.stage)}</td>
                    <td data-label="金额" class="num">
                      {formatYuan(application.approvedAmount ?? application.assessment?.amount)}
                    </td>
                    <td data-label="更新时间">{formatTime(application.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {pager}
    </section>
  );
}

const WITHDRAWABLE = new Set<string>(WITHDRAWABLE_STATUSES);

/** Each 核减 on the way to the approved amount: from what, to what, at which stage, and the reviewer's reason. */
function Reductions(props: { applicationId: string; assessed: string | undefined; version: number }) {
  const { data } = useLoad(() => apiAll<ApplicationEvent>(`/applications/${props.applicationId}/events`), [props.applicationId, props.version]);
  if (!data || props.assessed === undefined) return null;
  const cuts: { from: string; to: string; stage: string; comment?: string }[] = [];
  let current = props.assessed;
  for (const event of data) {
    const { decision, amount, stage, comment } = (event.data ?? {}) as { decision?: string; amount?: string; stage?: string; comment?: string };
    if (event.type !== 'DECIDED' || decision !== 'approve' || amount === undefined) continue;
    if (isLess(amount, current)) cuts.push({ from: current, to: amount, stage: stage ?? '', ...(comment ? { comment } : {}) });
    current = amount;
  }
  if (cuts.length === 0) return null;
  return (
    <ul class="reductions" aria-label="核减说明">
      {cuts.map((cut) => (
        <li>
          {stageLabel(cut.stage)}核减：{formatYuan(cut.from)} → {formatYuan(cut.to)}。意见：{cut.comment ?? '（未填写）'}
        </li>
      ))}
    </ul>
  );
}

/** One application: status, amounts, details, assessment, audit trail; the owner resubmits or withdraws. */
export function ApplicationPage(props: { id: string; notice?: string }) {
  const programs = usePrograms();
  const { data: application, error, reload, loading } = useLoad(() => api<Application>('GET', `/applications/${props.id}`), [props.id]);
  const owner = session.value?.claims.role === 'enterprise';
  // Just submitted or resubmitted: the workflow assesses it within seconds; look again until it has moved on.
  const moving = application?.status === 'SUBMITTED';
  useEffect(() => {
    if (!moving || loading) return;
    const timer = setTimeout(reload, 1500);
    return () => clearTimeout(timer);
  }, [moving, loading, application?.version]);
  if (error) return <ErrorSummary error={error} title="无法加载申请" />;
  if (!application) return <Loading what="申请" />;
  return (
    <section>
      <p>
        <a href="#/applications">← 返回申请列表</a>
      </p>
      <h2>
        {programTitle(programs.data, application.programId)} <StatusBadge status={application.status} />
      </h2>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <div class="actions">
        <button type="button" class="secondary" onClick={reload}>
          刷新
        </button>
      </div>
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
        <dt>当前环节</dt>
        <dd>{stageLabel(application.stage)}</dd>
        <dt>测算金额</dt>
        <dd>{formatYuan(application.assessment?.amount)}</dd>
        {application.approvedAmount ? (
          <>
            <dt>核定金额</dt>
            <dd>
              {formatYuan(application.approvedAmount)}
              <Reductions applicationId={application.id} assessed={application.assessment?.amount} version={application.version} />
            </dd>
          </>
        ) : null}
        <dt>提交时间</dt>
        <dd>{formatTime(application.createdAt)}</dd>
      </dl>
      {application.status === 'RETURNED' ? (
        <div class="callout" role="note">
          <p>
            <strong>退回意见：</strong>
            {application.returnComment}
          </p>
          <p>请于 {formatTime(application.revisionDueAt)} 前修改并重新提交，逾期视为撤回。</p>
        </div>
      ) : null}
      {application.paymentFailure ? (
        <div class="callout" role="note" aria-label="拨付失败">
          <p>
            <strong>拨付失败：</strong>
            {application.paymentFailure.reason}
          </p>
          <p>
            {owner
              ? '请核对本企业在入驻主体名录中登记的收款账户（户名、开户行、账号）；如有误，请联系园区或系统管理员更正。账户无误或更正后，财务将在下一批次重新拨付，无需重新申请。'
              : '该笔已回到待拨付，收款账户核对或更正后可列入下一批次重新拨付。'}
          </p>
        </div>
      ) : null}
      {application.withdrawal ? (
        <p class="callout">
          已于 {formatTime(application.withdrawal.at)} 撤回：{application.withdrawal.reason}
        </p>
      ) : null}
      {owner && application.status === 'RETURNED' ? <Resubmit application={application} onDone={reload} /> : null}
      <h3>申报信息</h3>
      <DetailsView value={application.details} />
      <h3>申报材料</h3>
      <ApplicationDocuments
        applicationId={application.id}
        {...(application.documents ? { documents: application.documents } : {})}
        {...(application.promises ? { promises: application.promises } : {})}
        {...(programs.data ? { requirements: programs.data.find((program) => program.programId === application.programId)?.documents ?? [] } : {})}
      />
      {application.assessment ? <QuoteView quote={application.assessment} heading="系统测算" /> : null}
      <h3>办理记录</h3>
      <EventsView applicationId={application.id} version={application.version} />
      {owner && WITHDRAWABLE.has(application.status) ? <Withdraw application={application} onDone={reload} /> : null}
    </section>
  );
}

/** Responses carry ID numbers only masked (idNumberMasked), which cannot be sent back: the clerk types them again. */
function unmaskable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unmaskable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== MASKED_ID)
        .map(([key, item]) => [key, unmaskable(item)]),
    );
  }
  return value;
}
const MASKED_ID = 'idNumberMasked';

function Resubmit(props: { application: Application; onDone: () => void }) {
  const { application } = props;
  const schema = useMemo(() => formSchema(application.programId), [application.programId]);
  const [details, setDetails] = useState<unknown>(() => unmaskable(application.details));
  const { error, busy, run } = useAction();
  const errors = useMemo(() => issuesByPath((error as CheckFailed | ApiError | undefined)?.issues ?? []), [error]);
  const masked = JSON.stringify(application.details).includes(MASKED_ID);

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const issues = check(application.programId, details);
      if (issues) throw new CheckFailed(issues);
      await api('PUT', `/applications/${application.id}`, { details });
      props.onDone();
    });
  };

  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="resubmit-heading">
      <h3 id="resubmit-heading">修改并重新提交</h3>
      {masked ? <p class="hint">为保护个人信息，身份证号码不回显，请重新填写。</p> : null}
      <ErrorSummary error={error} />
      <SchemaForm schema={schema} value={details} onChange={setDetails} errors={errors} path="details" />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          重新提交
        </button>
      </div>
    </form>
  );
}

function Withdraw(props: { application: Application; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { error, busy, run } = useAction();
  if (!open)
    return (
      <div class="actions">
        <button type="button" class="danger" onClick={() => setOpen(true)}>
          撤回申请
        </button>
      </div>
    );
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await api('POST', `/applications/${props.application.id}/withdraw`, reason.trim() ? { reason: reason.trim() } : {});
      props.onDone();
    });
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="withdraw-heading">
      <h3 id="withdraw-heading">撤回申请</h3>
      <p>撤回后审核终止，如需申请须重新提交。</p>
      <ErrorSummary error={error} />
      <div class="field">
        <label for="withdraw-reason">
          撤回原因<span class="optional">（选填）</span>
        </label>
        <textarea id="withdraw-reason" maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="danger" disabled={busy}>
          确认撤回
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          取消
        </button>
      </div>
    </form>
  );
}
