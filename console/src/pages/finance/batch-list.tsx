import { apiAll } from '../../api';
import { ErrorSummary, Loading, formatTime, useLoad } from '../../components';
import { BATCH_STATUS_LABELS } from '../../labels';
import { formatYuan } from '../../money';
import type { BatchSummary } from '../../api-types';

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
