import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorSummary, Loading, Notice, useAction, useLoad } from '../components';
import { formatYuan } from '../money';
import { fieldId } from '../schema-form';

/**
 * 公示公告: the notices anyone may read, without signing in, and the objection form (POLICY.md §5.14).
 * A person is shown by a masked name; contact details go to the department only.
 */

interface PublicNotice {
  noticeId: string;
  title: string;
  startsOn: string;
  endsOn: string;
  workingDays: number;
  items: { itemNo: number; enterpriseName: string; programTitle: string; measure: string; amount: string; personName?: string }[];
}

function Field(props: { path: string; noticeId: string; label: string; value: string; onInput: (value: string) => void; multiline?: boolean; hint?: string }) {
  // One form per notice: the ids carry the notice so that they stay unique on the page.
  const id = `${fieldId(props.path)}-${props.noticeId}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea id={id} rows={5} value={props.value} onInput={(event) => props.onInput(event.currentTarget.value)} />
      ) : (
        <input id={id} type="text" value={props.value} onInput={(event) => props.onInput(event.currentTarget.value)} />
      )}
      {props.hint ? <p class="hint">{props.hint}</p> : null}
    </div>
  );
}

function ObjectionForm(props: { notice: PublicNotice }) {
  const { notice } = props;
  const action = useAction();
  const [form, setForm] = useState({ itemNo: String(notice.items[0]?.itemNo ?? 1), name: '', contact: '', reason: '' });
  const set = (field: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api('POST', `/public/notices/${notice.noticeId}/objections`, { ...form, itemNo: Number(form.itemNo) });
      setForm((f) => ({ ...f, reason: '' }));
      return '异议已提交，主管部门将核实处理并与您联系。';
    });
  };
  const selectId = `${fieldId('itemNo')}-${notice.noticeId}`;
  return (
    <form onSubmit={submit} noValidate aria-label={`对“${notice.title}”提出异议`}>
      <h4>提出异议</h4>
      <ErrorSummary error={action.error} />
      {action.message ? <Notice>{action.message}</Notice> : null}
      <div class="form-grid">
        <div class="field">
          <label for={selectId}>异议项目</label>
          <select id={selectId} value={form.itemNo} onChange={(event) => set('itemNo')(event.currentTarget.value)}>
            {notice.items.map((item) => (
              <option value={String(item.itemNo)}>
                {item.itemNo}. {item.enterpriseName} {item.personName ?? ''}
              </option>
            ))}
          </select>
        </div>
        <Field noticeId={notice.noticeId} path="name" label="您的姓名" value={form.name} onInput={set('name')} />
        <Field noticeId={notice.noticeId} path="contact" label="联系方式（电话或邮箱）" value={form.contact} onInput={set('contact')} hint="仅主管部门可见，不予公开。" />
        <Field noticeId={notice.noticeId} path="reason" label="异议理由" value={form.reason} onInput={set('reason')} multiline hint="10至2000字，请写明事实和依据。" />
      </div>
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          提交异议
        </button>
      </div>
    </form>
  );
}

export function PublicNotices() {
  useEffect(() => {
    document.title = '公示公告 - 晋创谷·晋城 政策兑现平台';
  }, []);
  const { data, error } = useLoad(() => api<{ items: PublicNotice[] }>('GET', '/public/notices'), []);
  return (
    <>
      <header class="top">
        <span class="brand">晋创谷·晋城 政策兑现平台</span>
        <a class="link" href="#/">登录</a>
      </header>
      <main id="main" tabIndex={-1}>
        <h2>公示公告</h2>
        <p class="lead">以下拟兑现的财政奖补项目予以公示。公示期内，任何单位或个人对公示项目有异议的，可在本页提出。</p>
        <ErrorSummary error={error} />
        {!data && !error ? <Loading what="公示公告" /> : null}
        {data && data.items.length === 0 ? <p>当前没有公示。</p> : null}
        {data?.items.map((notice) => (
          <article aria-labelledby={`notice-${notice.noticeId}`}>
            <h3 id={`notice-${notice.noticeId}`}>{notice.title}</h3>
            <p>
              公示期：{notice.startsOn} 至 {notice.endsOn}（{notice.workingDays} 个工作日）
            </p>
            <div class="table-wrap">
              <table class="stack">
                <caption>公示项目</caption>
                <thead>
                  <tr>
                    <th scope="col">序号</th>
                    <th scope="col">单位名称</th>
                    <th scope="col">人员</th>
                    <th scope="col">政策项目</th>
                    <th scope="col">政策条款</th>
                    <th scope="col" class="num">
                      金额
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {notice.items.map((item) => (
                    <tr>
                      <td data-label="序号">{item.itemNo}</td>
                      <td data-label="单位名称">{item.enterpriseName}</td>
                      <td data-label="人员">{item.personName ?? '—'}</td>
                      <td data-label="政策项目">{item.programTitle}</td>
                      <td data-label="政策条款">{item.measure}</td>
                      <td data-label="金额" class="num">
                        {formatYuan(item.amount)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ObjectionForm notice={notice} />
          </article>
        ))}
      </main>
    </>
  );
}
