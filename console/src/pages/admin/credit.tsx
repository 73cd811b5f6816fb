import type { CreditSubjectType } from '../../../../functions/domain/vocabulary';
import { useState } from 'preact/hooks';
import { CreditEntry } from '../../../../schemas/api';
import { api } from '../../api';
import { ErrorSummary, Notice, formatTime, useAction, usePagedList } from '../../components';
import { Text, checked } from './form';

interface CreditListEntry {
  subjectType: CreditSubjectType;
  subject: string;
  listedOn: string;
  liftedOn?: string;
  validUntil?: string;
  reason: string;
  lifted: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** 严重失信名单: enterprises by USCC, people by resident ID number. */
export function Credit() {
  const [form, setForm] = useState({ subjectType: 'enterprise', subjectId: '', listedOn: '', liftedOn: '', validUntil: '', reason: '', lifted: false });
  const action = useAction();
  const [saved, setSaved] = useState(0);
  const list = usePagedList<CreditListEntry>('/credit/restrictions', { limit: '50' }, saved);
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const entry = checked(CreditEntry, {
        ...form,
        subjectId: form.subjectId.trim(),
        reason: form.reason.trim(),
        lifted: form.lifted || undefined,
        liftedOn: form.liftedOn || undefined,
        validUntil: form.validUntil || undefined,
      });
      const result = await api<{ items: { subject: string; lifted: boolean }[] }>('POST', '/credit/restrictions', { entries: [entry] });
      setSaved((n) => n + 1);
      const item = result.items[0]!;
      return item.lifted ? `已解除 ${item.subject} 的失信限制` : `已将 ${item.subject} 列入失信限制`;
    });
  };
  return (
    <section>
      <h2>失信限制</h2>
      <p class="lead">被列入严重失信名单的企业或个人不得享受政策支持；解除后恢复。</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={action.error} />
        {action.message ? <Notice>{action.message}</Notice> : null}
        <div class="form-grid">
          <div class="field">
            <label for="f-subjectType">主体类型</label>
            <select id="f-subjectType" value={form.subjectType} onChange={(event) => setForm({ ...form, subjectType: event.currentTarget.value })}>
              <option value="enterprise">企业（统一社会信用代码）</option>
              <option value="person">个人（身份证号码）</option>
            </select>
          </div>
          <Text id="f-subjectId" label={form.subjectType === 'person' ? '身份证号码' : '统一社会信用代码'} value={form.subjectId} onInput={(v) => setForm({ ...form, subjectId: v })} />
          <Text id="f-listedOn" label="列入日期" type="date" value={form.listedOn} onInput={(v) => setForm({ ...form, listedOn: v })} />
          <Text id="f-validUntil" label="有效期至" optional type="date" value={form.validUntil} onInput={(v) => setForm({ ...form, validUntil: v })} />
          <Text id="f-liftedOn" label="移出日期" optional type="date" value={form.liftedOn} onInput={(v) => setForm({ ...form, liftedOn: v })} />
          <Text id="f-reason" label="依据" value={form.reason} onInput={(v) => setForm({ ...form, reason: v })} />
          <div class="field checkbox">
            <input id="f-lifted" type="checkbox" checked={form.lifted} onChange={(event) => setForm({ ...form, lifted: event.currentTarget.checked })} />
            <label for="f-lifted">解除限制</label>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            保存
          </button>
        </div>
      </form>
      <ErrorSummary error={list.error} />
      {list.data ? (
        <div class="table-wrap">
          <table class="stack">
            <caption>失信名单（最近列入的在前；个人只显示脱敏的身份证号码）</caption>
            <thead>
              <tr>
                <th scope="col">主体</th>
                <th scope="col">类型</th>
                <th scope="col">列入日期</th>
                <th scope="col">依据</th>
                <th scope="col">状态</th>
                <th scope="col">登记人</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((entry) => (
                <tr>
                  <td data-label="主体">{entry.subject}</td>
                  <td data-label="类型">{entry.subjectType === 'person' ? '个人' : '企业'}</td>
                  <td data-label="列入日期">{entry.listedOn}</td>
                  <td data-label="依据">{entry.reason}</td>
                  <td data-label="状态">
                    {entry.lifted || (entry.liftedOn && entry.liftedOn <= today) ? '已解除' : entry.listedOn > today ? '尚未生效' : entry.validUntil && entry.validUntil < today ? '已过期' : '限制中'}
                    {entry.liftedOn ? `（${entry.liftedOn} 移出）` : entry.validUntil ? `（有效期至 ${entry.validUntil}）` : ''}
                  </td>
                  <td data-label="登记人">
                    {entry.updatedBy}，{formatTime(entry.updatedAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {list.pager}
    </section>
  );
}
