import { useMemo, useState } from 'preact/hooks';
import type { PaymentResult } from '../../../functions/domain/vocabulary';
import { ApiError, api, apiAll, download } from '../api';
import { ErrorSummary, Loading, Notice, type ProgramInfo, StatusBadge, formatTime, programTitle, programs as loadPrograms, useAction, useLoad, usePrograms } from '../components';
import { BATCH_STATUS_LABELS } from '../labels';
import { formatYuan, isLess, share, sumYuan } from '../money';
import { navigate } from '../router';
import type { Application } from './enterprise';

/** What finance pays: APPROVED applications, and PAYMENT_FAILED ones back in the pool. */
async function pool(): Promise<Application[]> {
  const [approved, failed] = await Promise.all([apiAll<Application>('/applications?status=APPROVED'), apiAll<Application>('/applications?status=PAYMENT_FAILED')]);
  return [...approved, ...failed].filter((application) => !application.batchId);
}

/** Approved awards by program with totals; a batch of the programs chosen. */
export function Awards() {
  const programs = usePrograms();
  const { data, error, reload } = useLoad(pool, []);
  const groups = useMemo(() => {
    const byProgram = new Map<string, Application[]>();
    for (const application of data ?? []) byProgram.set(application.programId, [...(byProgram.get(application.programId) ?? []), application]);
    return [...byProgram.entries()].map(([programId, items]) => ({ programId, items, total: sumYuan(items.map((a) => a.approvedAmount ?? '0')) }));
  }, [data]);
  const [chosen, setChosen] = useState<Set<string> | undefined>();
  const selected = chosen ?? new Set(groups.map((group) => group.programId));
  const [overBudget, setOverBudget] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();

  const create = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      try {
        const batch = await api<{ batchId: string }>('POST', '/batches', {
          programIds: [...selected],
          ...(overBudget ? { allowOverBudget: true, reason: reason.trim() } : {}),
        });
        navigate(`/batches/${batch.batchId}?created=1`);
      } catch (caught) {
        reload();
        const apiError = caught as ApiError;
        const excess = apiError.code === 'CONFLICT' ? apiError.issues.filter((issue) => issue.path.startsWith('budget.')) : [];
        if (!excess.length) throw apiError;
        setOverBudget(true);
        const byProgram = excess.map((issue) => ({ path: programTitle(programs.data, issue.path.slice('budget.'.length)), message: issue.message }));
        throw Object.assign(new Error('本批次将超出年度预算。如确需出批，请填写理由后再次生成。'), { issues: byProgram });
      }
    });
  };

  if (error) return <ErrorSummary error={error} />;
  if (!data) return <Loading what="待拨付项目" />;
  return (
    <section>
      <h2>待拨付的已批准项目</h2>
      <div class="actions">
        <button type="button" class="secondary" onClick={reload}>
          刷新
        </button>
      </div>
      {groups.length === 0 ? <p>目前没有待拨付的项目。</p> : null}
      {groups.length ? (
        <form onSubmit={create}>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">纳入批次</th>
                  <th scope="col">政策项目</th>
                  <th scope="col" class="num">
                    笔数
                  </th>
                  <th scope="col" class="num">
                    合计
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        id={`pick-${group.programId}`}
                        checked={selected.has(group.programId)}
                        onChange={(event) => {
                          const next = new Set(selected);
                          if (event.currentTarget.checked) next.add(group.programId);
                          else next.delete(group.programId);
                          setChosen(next);
                        }}
                      />
                    </td>
                    <td>
                      <label for={`pick-${group.programId}`}>{programTitle(programs.data, group.programId)}</label>
                    </td>
                    <td class="num">{group.items.length}</td>
                    <td class="num">{formatYuan(group.total)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    合计
                  </th>
                  <td class="num">{data.length}</td>
                  <td class="num" data-testid="pool-total">
                    {formatYuan(sumYuan(groups.map((group) => group.total)))}
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>
          <ErrorSummary error={action.error} title="未能生成批次" />
          {overBudget ? (
            <div class="field">
              <label for="over-budget-reason">超预算出批理由（必填）</label>
              <textarea id="over-budget-reason" maxLength={500} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
            </div>
          ) : null}
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy || selected.size === 0 || (overBudget && !reason.trim())}>
              {overBudget ? '超预算仍生成批次' : '生成拨付批次'}
            </button>
          </div>
        </form>
      ) : null}
      <BudgetChart />
    </section>
  );
}

/** "晋市政办〔2024〕39号 第4条" … → "第4、5、6条". */
const articles = (measures: string[]) => `第${measures.map((m) => /第(\d+)条/.exec(m)?.[1] ?? m).join('、')}条`;

/** Each program's year: paid, batched and committed against its budget. A chart, and the same figures as a table. */
export function BudgetChart() {
  const { data, error } = useLoad(() => loadPrograms(true), []);
  if (error) return <ErrorSummary error={error} />;
  if (!data) return <Loading what="预算" />;
  const rows = data.filter((program) => program.budget) as (ProgramInfo & { budget: NonNullable<ProgramInfo['budget']> })[];
  const year = rows[0]?.budget.year;
  return (
    <section aria-labelledby="budget-heading">
      <h3 id="budget-heading">{year} 年度预算执行</h3>
      <ul class="legend" aria-hidden="true">
        <li class="paid">已支付</li>
        <li class="batched">拨付中</li>
        <li class="committed">已批准待拨付</li>
        <li class="budget-line">年度预算</li>
      </ul>
      <div class="budget-chart">
        {rows.map((program) => {
          const { budget } = program;
          const used = sumYuan([budget.paid, budget.batched, budget.committed]);
          const scale = budget.budget && Number(budget.budget) > Number(used) ? budget.budget : used;
          const width = (amount: string) => `${(share(amount, scale) * 100).toFixed(2)}%`;
          return (
            <div class="budget-row">
              <span class="budget-label">
                {program.title}
                <span class="muted">（{articles(program.measures)}）</span>
              </span>
              <div
                class="bar"
                role="img"
                aria-label={`${program.title}：已支付 ${formatYuan(budget.paid)}，拨付中 ${formatYuan(budget.batched)}，待拨付 ${formatYuan(budget.committed)}，预算 ${budget.budget ? formatYuan(budget.budget) : '未设定'}`}
              >
                <span class="paid" style={{ width: width(budget.paid) }} />
                <span class="batched" style={{ width: width(budget.batched) }} />
                <span class="committed" style={{ width: width(budget.committed) }} />
                {budget.budget ? <span class="budget-line" style={{ left: width(budget.budget) }} /> : null}
              </div>
            </div>
          );
        })}
      </div>
      <div class="table-wrap">
        <table>
          <caption>预算执行明细</caption>
          <thead>
            <tr>
              <th scope="col">政策项目</th>
              <th scope="col" class="num">
                年度预算
              </th>
              <th scope="col" class="num">
                已批准待拨付
              </th>
              <th scope="col" class="num">
                拨付中
              </th>
              <th scope="col" class="num">
                已支付
              </th>
              <th scope="col" class="num">
                剩余
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ title, budget }) => (
              <tr>
                <th scope="row">{title}</th>
                <td class="num">{budget.budget ? formatYuan(budget.budget) : '未设定'}</td>
                <td class="num">{formatYuan(budget.committed)}</td>
                <td class="num">{formatYuan(budget.batched)}</td>
                <td class="num">{formatYuan(budget.paid)}</td>
                <td class={`num${budget.remaining && isLess(budget.remaining, '0') ? ' over-budget' : ''}`}>
                  {budget.remaining ? formatYuan(budget.remaining) : '—'}
                  {budget.remaining && isLess(budget.remaining, '0') ? '（超出预算）' : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface BatchSummary {
  batchId: string;
  status: string;
  count: number;
  total: string;
  createdAt: string;
  createdBy: string;
  byProgram: { programId: string; count: number; total: string }[];
  exports?: Record<string, { sha256: string; bytes: number; at: string; by: string }>;
  overBudget?: { reason: string };
}

interface BatchItem {
  applicationId: string;
  uscc: string;
  payee: { name: string; bank: string; number: string };
  programId: string;
  amount: string;
  result?: { status: PaymentResult; reference?: string; reason?: string; at: string };
}

export function BatchList() {
  const { data, error } = useLoad(() => apiAll<BatchSummary>('/batches'), []);
  if (error) return <ErrorSummary error={error} />;
  if (!data) return <Loading what="拨付批次" />;
  return (
    <section>
      <h2>拨付批次</h2>
      {data.length === 0 ? <p>尚无拨付批次。</p> : null}
      {data.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">批次编号</th>
                <th scope="col">状态</th>
                <th scope="col" class="num">
                  笔数
                </th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">生成时间</th>
              </tr>
            </thead>
            <tbody>
              {data.map((batch) => (
                <tr>
                  <td>
                    <a href={`#/batches/${batch.batchId}`}>{batch.batchId}</a>
                  </td>
                  <td>{BATCH_STATUS_LABELS[batch.status] ?? batch.status}</td>
                  <td class="num">{batch.count}</td>
                  <td class="num">{formatYuan(batch.total)}</td>
                  <td>{formatTime(batch.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

type ResultDraft = { status: '' | PaymentResult; reference: string; reason: string };

/** A batch: its items, the payment files, and the bank's results. */
export function BatchPage(props: { id: string; notice?: string }) {
  const programs = usePrograms();
  const { data: batch, error, reload } = useLoad(async () => {
    const first = await api<BatchSummary & { items: BatchItem[]; nextToken?: string }>('GET', `/batches/${props.id}`);
    let nextToken = first.nextToken;
    while (nextToken) {
      const page = await api<{ items: BatchItem[]; nextToken?: string }>('GET', `/batches/${props.id}?nextToken=${encodeURIComponent(nextToken)}`);
      first.items.push(...page.items);
      nextToken = page.nextToken;
    }
    return first;
  }, [props.id]);
  const [drafts, setDrafts] = useState<Record<string, ResultDraft>>({});
  const action = useAction();
  const message = action.message ?? props.notice;

  const fetchFile = (format: 'csv' | 'xlsx') =>
    action.run(async () => {
      const file = await download(`/batches/${props.id}/export?format=${format}`, `payments-${props.id}.${format}`);
      reload();
      return `已下载 ${file.name}（${file.bytes} 字节，SHA-256 ${file.sha256 ?? '—'}）`;
    });

  const record = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const results = Object.entries(drafts)
        .filter(([, draft]) => draft.status)
        .map(([applicationId, draft]) => ({
          applicationId,
          status: draft.status,
          ...(draft.status === 'paid' ? { reference: draft.reference.trim() } : { reason: draft.reason.trim() }),
        }));
      if (results.length === 0) throw new Error('请至少登记一笔银行结果');
      await api('POST', `/batches/${props.id}/payments`, { results });
      setDrafts({});
      reload();
      return `已登记 ${results.length} 笔银行结果`;
    });
  };

  if (error) return <ErrorSummary error={error} />;
  if (!batch) return <Loading what="批次" />;
  const draft = (id: string): ResultDraft => drafts[id] ?? { status: '', reference: '', reason: '' };
  const setDraft = (id: string, patch: Partial<ResultDraft>) => setDrafts({ ...drafts, [id]: { ...draft(id), ...patch } });
  const canRecord = batch.status === 'EXPORTED';
  return (
    <section>
      <p>
        <a href="#/batches">← 返回拨付批次</a>
      </p>
      <h2>拨付批次 {batch.batchId}</h2>
      {message ? <Notice>{message}</Notice> : null}
      <dl class="summary">
        <dt>状态</dt>
        <dd data-testid="batch-status">{BATCH_STATUS_LABELS[batch.status] ?? batch.status}</dd>
        <dt>笔数</dt>
        <dd>{batch.count}</dd>
        <dt>合计</dt>
        <dd data-testid="batch-total">{formatYuan(batch.total)}</dd>
        <dt>生成</dt>
        <dd>
          {formatTime(batch.createdAt)}（{batch.createdBy}）
        </dd>
        {batch.overBudget ? (
          <>
            <dt>超预算理由</dt>
            <dd>{batch.overBudget.reason}</dd>
          </>
        ) : null}
      </dl>
      <div class="actions">
        <button type="button" onClick={() => void fetchFile('csv')}>
          下载支付文件（CSV）
        </button>
        <button type="button" onClick={() => void fetchFile('xlsx')}>
          下载支付文件（Excel）
        </button>
      </div>
      <ErrorSummary error={action.error} />
      <form onSubmit={record}>
        <div class="table-wrap">
          <table>
            <caption>
              {canRecord ? '导出后，按银行回单登记每笔结果：成功填写流水号，失败填写原因（失败的申请回到待拨付）。' : batch.status === 'OPEN' ? '请先下载支付文件，再登记银行结果。' : '本批次已结清。'}
            </caption>
            <thead>
              <tr>
                <th scope="col">申请编号</th>
                <th scope="col">政策项目</th>
                <th scope="col">收款单位</th>
                <th scope="col">开户行</th>
                <th scope="col">账号</th>
                <th scope="col" class="num">
                  金额
                </th>
                <th scope="col">银行结果</th>
              </tr>
            </thead>
            <tbody>
              {batch.items.map((item) => (
                <tr>
                  <td>
                    <a href={`#/applications/${item.applicationId}`}>{item.applicationId}</a>
                  </td>
                  <td>{programTitle(programs.data, item.programId)}</td>
                  <td>{item.payee.name}</td>
                  <td>{item.payee.bank}</td>
                  <td>{item.payee.number}</td>
                  <td class="num">{formatYuan(item.amount)}</td>
                  <td>
                    {item.result ? (
                      <StatusBadge status={item.result.status === 'paid' ? 'PAID' : 'PAYMENT_FAILED'} />
                    ) : canRecord ? (
                      <ResultInputs item={item} draft={draft(item.applicationId)} onChange={(patch) => setDraft(item.applicationId, patch)} />
                    ) : (
                      '—'
                    )}
                    {item.result?.reference ? <span class="muted"> {item.result.reference}</span> : null}
                    {item.result?.reason ? <span class="muted"> {item.result.reason}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {canRecord ? (
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              登记银行结果
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}

function ResultInputs(props: { item: BatchItem; draft: ResultDraft; onChange: (patch: Partial<ResultDraft>) => void }) {
  const id = props.item.applicationId;
  return (
    <div class="result-inputs">
      <label class="visually-hidden" for={`result-${id}`}>
        {id} 的银行结果
      </label>
      <select id={`result-${id}`} value={props.draft.status} onChange={(event) => props.onChange({ status: event.currentTarget.value as ResultDraft['status'] })}>
        <option value="">未登记</option>
        <option value="paid">支付成功</option>
        <option value="failed">支付失败</option>
      </select>
      {props.draft.status === 'paid' ? (
        <>
          <label class="visually-hidden" for={`reference-${id}`}>
            {id} 的银行流水号
          </label>
          <input id={`reference-${id}`} placeholder="银行流水号" value={props.draft.reference} onInput={(event) => props.onChange({ reference: event.currentTarget.value })} />
        </>
      ) : null}
      {props.draft.status === 'failed' ? (
        <>
          <label class="visually-hidden" for={`reason-${id}`}>
            {id} 的失败原因
          </label>
          <input id={`reason-${id}`} placeholder="失败原因" value={props.draft.reason} onInput={(event) => props.onChange({ reason: event.currentTarget.value })} />
        </>
      ) : null}
    </div>
  );
}
