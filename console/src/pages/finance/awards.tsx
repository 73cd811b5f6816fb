import { useMemo, useState } from 'preact/hooks';
import { ApiError, api, apiAll } from '../../api';
import { ErrorSummary, Loading, programTitle, useAction, useLoad, usePrograms } from '../../components';
import { formatYuan, sumYuan } from '../../money';
import { navigate } from '../../router';
import type { Application } from '../enterprise';
import { BudgetChart } from './budget';

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
  // A batch over an unset budget is not refused: say so before it is made.
  const unbudgeted = groups.filter((group) => selected.has(group.programId) && !programs.data?.find((p) => p.programId === group.programId)?.budget?.budget).map((group) => programTitle(programs.data, group.programId));
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
          {unbudgeted.length ? (
            <p class="callout" role="note" aria-label="未设定预算">
              {unbudgeted.join('、')} 未设定本年度预算：生成批次时不做预算控制。如需控制，请先由系统管理员在“政策参数”中设定年度预算。
            </p>
          ) : null}
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
