import { ErrorSummary, Loading, type ProgramInfo, programs as loadPrograms, useLoad } from '../../components';
import { formatYuan, isLess, share } from '../../money';

/** "晋市政办〔2024〕39号 第4条" … → "第4、5、6条". */
const articles = (measures: string[]) => `第${measures.map((m) => /第(\d+)条/.exec(m)?.[1] ?? m).join('、')}条`;

/** Each program's year: approved, batched and paid (together: committed) against its budget. A chart, and the same figures as a table. */
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
          const used = budget.committed;
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
                aria-label={`${program.title}：已支付 ${formatYuan(budget.paid)}，拨付中 ${formatYuan(budget.batched)}，已批准待拨付 ${formatYuan(budget.approved)}，预算 ${budget.budget ? formatYuan(budget.budget) : '未设定'}`}
              >
                <span class="paid" style={{ width: width(budget.paid) }} />
                <span class="batched" style={{ width: width(budget.batched) }} />
                <span class="committed" style={{ width: width(budget.approved) }} />
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
                已占用合计
              </th>
              <th scope="col" class="num">
                剩余（预算 − 已占用）
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ title, budget }) => (
              <tr>
                <th scope="row">{title}</th>
                <td class="num">{budget.budget ? formatYuan(budget.budget) : '未设定'}</td>
                <td class="num">{formatYuan(budget.approved)}</td>
                <td class="num">{formatYuan(budget.batched)}</td>
                <td class="num">{formatYuan(budget.paid)}</td>
                <td class="num">{formatYuan(budget.committed)}</td>
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
