import { useState } from 'preact/hooks';
import { api } from '../../api';
import { ErrorSummary, Loading, Notice, formatTime, useAction, usePagedList } from '../../components';

/** Workflows that failed after their retries, and a redrive. */
export function WorkflowFailures() {
  const [redriven, setRedriven] = useState(0);
  const { data, error, pager } = usePagedList<{ applicationId: string; error: string; cause: string; failedAt: string }>('/workflow-failures', { limit: '50' }, redriven);
  const action = useAction();
  if (error) return <ErrorSummary error={error} />;
  if (!data) return <Loading what="流程异常" />;
  return (
    <section>
      <h2>流程异常</h2>
      <ErrorSummary error={action.error} />
      {action.message ? <Notice>{action.message}</Notice> : null}
      {data.items.length === 0 ? <p>没有失败的流程。</p> : null}
      {data.items.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">申请编号</th>
                <th scope="col">错误</th>
                <th scope="col">失败时间</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((failure) => (
                <tr>
                  <td>
                    <a href={`#/applications/${failure.applicationId}`}>{failure.applicationId}</a>
                  </td>
                  <td>
                    {failure.error}
                    <br />
                    <span class="muted">{failure.cause}</span>
                  </td>
                  <td>{formatTime(failure.failedAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={action.busy}
                      onClick={() =>
                        void action.run(async () => {
                          await api('POST', `/workflow-failures/${failure.applicationId}/redrive`);
                          setRedriven((n) => n + 1);
                          return `已从失败的步骤重新运行 ${failure.applicationId}`;
                        })
                      }
                    >
                      重新运行
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pager}
    </section>
  );
}
