import { useState } from 'preact/hooks';
import { ENDPOINTS } from '../../../../schemas/api';
import { ApiError, api } from '../../api';
import { ErrorSummary, Loading, Notice, programs as loadPrograms, useAction, useLoad } from '../../components';
import { Text } from './form';

/** Parameters in force today, by program, and a dated override. */
export function Parameters() {
  const { data, error, reload } = useLoad(() => loadPrograms(true), []);
  const [form, setForm] = useState({ name: '', from: '', value: '', reason: '' });
  const action = useAction();
  if (error) return <ErrorSummary error={error} />;
  if (!data) return <Loading what="参数" />;
  const names = ENDPOINTS.putParameter.params.shape.name.options;
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      if (!form.name) throw new ApiError(400, 'VALIDATION_ERROR', '请选择参数', [{ path: 'name', message: '请选择参数' }]);
      const stored = await api<{ name: string; from: string; value: string }>('PUT', `/parameters/${encodeURIComponent(form.name)}`, {
        from: form.from,
        value: form.value.trim(),
        reason: form.reason.trim(),
      });
      await loadPrograms(true);
      reload();
      return `${stored.name} 自 ${stored.from} 起为 ${stored.value}`;
    });
  };
  return (
    <section>
      <h2>政策参数</h2>
      <p class="lead">当前生效的参数及其来源。调整参数须注明生效日期和理由；已提交的申请按其测算时的参数办理。</p>
      <form class="panel" onSubmit={submit} noValidate aria-labelledby="parameter-heading">
        <h3 id="parameter-heading">设定参数</h3>
        <ErrorSummary error={action.error} />
        {action.message ? <Notice>{action.message}</Notice> : null}
        <div class="form-grid">
          <div class="field">
            <label for="f-name">参数</label>
            <select id="f-name" value={form.name} onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}>
              <option value="">请选择</option>
              {names.map((name) => (
                <option value={name}>{name}</option>
              ))}
            </select>
          </div>
          <Text id="f-from" label="生效日期" type="date" value={form.from} onInput={(v) => setForm({ ...form, from: v })} />
          <Text id="f-value" label="取值" value={form.value} onInput={(v) => setForm({ ...form, value: v })} hint="金额以元计，比例为小数，日期为 YYYY-MM-DD" />
          <Text id="f-reason" label="理由" value={form.reason} onInput={(v) => setForm({ ...form, reason: v })} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            保存
          </button>
        </div>
      </form>
      {data.map((program) => (
        <details>
          <summary>
            {program.title}（{program.measures.join('、')}）
          </summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">参数</th>
                  <th scope="col">取值</th>
                  <th scope="col">生效日期</th>
                  <th scope="col">来源</th>
                </tr>
              </thead>
              <tbody>
                {program.parameters.map((parameter) => (
                  <tr>
                    <td>{parameter.name}</td>
                    <td>{parameter.value}</td>
                    <td>{parameter.from}</td>
                    <td>{parameter.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}
    </section>
  );
}
