import { useState } from 'preact/hooks';
import type { PaymentResult } from '../../../../functions/domain/vocabulary';
import { api, download } from '../../api';
import { EnterpriseLabel, ErrorSummary, Loading, Notice, StatusBadge, formatTime, programTitle, useAction, useLoad, usePrograms } from '../../components';
import { BATCH_STATUS_LABELS } from '../../labels';
import { formatYuan } from '../../money';
import type { BatchItem, BatchSummary } from '../../api-types';

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
                <th scope="col">企业</th>
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
                  <td data-label="申请编号">
                    <a href={`#/applications/${item.applicationId}`}>{item.applicationId}</a>
                  </td>
                  <td data-label="企业">
                    <EnterpriseLabel uscc={item.uscc} name={item.enterpriseName} />
                  </td>
                  <td data-label="政策项目">{programTitle(programs.data, item.programId)}</td>
                  <td data-label="收款单位">{item.payee.name}</td>
                  <td data-label="开户行">{item.payee.bank}</td>
                  <td data-label="账号">{item.payee.number}</td>
                  <td data-label="金额" class="num">{formatYuan(item.amount)}</td>
                  <td data-label="银行结果">
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
