import Papa from 'papaparse';
import type { CreditSubjectType } from '../../../functions/domain/vocabulary';
import { useState } from 'preact/hooks';
import { z } from 'zod';
import { CreditEntry, ENDPOINTS, PriorGrantImport, RegistryEntry } from '../../../schemas/api';
import { usccCheckCharacter } from '../../../functions/domain/identity';
import { Uscc } from '../../../schemas/common';
import { ApiError, api } from '../api';
import { ErrorSummary, Loading, Notice, formatTime, programs as loadPrograms, useAction, useLoad, usePagedList } from '../components';
import { zodIssues } from '../schema-form';

/** Checks a body with the API's schema; the error carries the same field paths the API would report. */
function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, 'VALIDATION_ERROR', '请按提示修改', zodIssues(result.error));
  return result.data;
}

function Text(props: { id: string; label: string; value: string; onInput: (value: string) => void; type?: 'text' | 'date'; hint?: string; optional?: boolean }) {
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.optional ? <span class="optional">（选填）</span> : null}
      </label>
      <input id={props.id} type={(props.type ?? 'text') as 'text'} value={props.value} onInput={(event) => props.onInput(event.currentTarget.value)} />
      {props.hint ? <p class="hint">{props.hint}</p> : null}
    </div>
  );
}

interface RosterEntry {
  uscc: string;
  name: string;
  joinedOn: string;
  bankAccount: { name: string; bank: string; number: string };
  updatedAt: string;
}

const EMPTY_ROSTER_FORM = { uscc: '', name: '', joinedOn: '', accountName: '', bank: '', number: '' };

/** 入驻主体名录: an enterprise and the account its awards are paid to. */
export function Roster() {
  const [form, setForm] = useState(EMPTY_ROSTER_FORM);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const action = useAction();
  const [saved, setSaved] = useState(0);
  const roster = usePagedList<RosterEntry>('/registry', { limit: '50' }, saved);
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const uscc = checked(z.object({ uscc: Uscc }), { uscc: form.uscc.trim() }).uscc;
      const body = checked(RegistryEntry, {
        name: form.name.trim(),
        joinedOn: form.joinedOn,
        bankAccount: { name: form.accountName.trim(), bank: form.bank.trim(), number: form.number.trim() },
      });
      await api('PUT', `/registry/${uscc}`, body);
      setForm(EMPTY_ROSTER_FORM);
      setSaved((n) => n + 1);
      return `已将 ${body.name}（${uscc}）登记到入驻主体名录`;
    });
  };
  const edit = (entry: RosterEntry) => {
    setForm({ uscc: entry.uscc, name: entry.name, joinedOn: entry.joinedOn, accountName: entry.bankAccount.name, bank: entry.bankAccount.bank, number: entry.bankAccount.number });
    document.getElementById('f-uscc')?.focus();
  };
  return (
    <section>
      <h2>入驻主体名录</h2>
      <p class="lead">登记或更新入驻企业及其收款账户。同一信用代码再次提交即为更新。</p>
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={action.error} />
        {action.message ? <Notice>{action.message}</Notice> : null}
        <div class="form-grid">
          <Text id="f-uscc" label="统一社会信用代码" value={form.uscc} onInput={set('uscc')} />
          <Text id="f-name" label="企业名称" value={form.name} onInput={set('name')} />
          <Text id="f-joinedOn" label="入驻日期" type="date" value={form.joinedOn} onInput={set('joinedOn')} />
          <Text id="f-bankAccount-name" label="账户名称" value={form.accountName} onInput={set('accountName')} />
          <Text id="f-bankAccount-bank" label="开户银行" value={form.bank} onInput={set('bank')} />
          <Text id="f-bankAccount-number" label="银行账号" value={form.number} onInput={set('number')} />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            保存
          </button>
        </div>
      </form>
      <ErrorSummary error={roster.error} />
      {roster.data ? (
        <div class="table-wrap">
          <table class="stack">
            <caption>名录（按信用代码）</caption>
            <thead>
              <tr>
                <th scope="col">统一社会信用代码</th>
                <th scope="col">企业名称</th>
                <th scope="col">入驻日期</th>
                <th scope="col">开户银行</th>
                <th scope="col">银行账号</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {roster.data.items.map((entry) => (
                <tr>
                  <td data-label="信用代码">{entry.uscc}</td>
                  <td data-label="企业名称">{entry.name}</td>
                  <td data-label="入驻日期">{entry.joinedOn}</td>
                  <td data-label="开户银行">{entry.bankAccount.bank}</td>
                  <td data-label="银行账号">{entry.bankAccount.number}</td>
                  <td data-label="操作">
                    <button type="button" class="secondary" aria-label={`修改 ${entry.name}`} onClick={() => edit(entry)}>
                      修改
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {roster.pager}
    </section>
  );
}

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

/** `level`: who granted it (national, provincial, municipal, county); only municipal and county ones reduce awards. */
const LEDGER_COLUMNS = ['grantId', 'subjectType', 'subjectId', 'category', 'period', 'amount', 'policy', 'grantedOn', 'level', 'uscc'] as const;
const OPTIONAL_COLUMNS: readonly string[] = ['period', 'uscc'];
const SAMPLE_USCC = `91140500MA0K00000${usccCheckCharacter('91140500MA0K00000')}`;
const LEDGER_TEMPLATE = `${LEDGER_COLUMNS.join(',')}\nG-2024-001,enterprise,${SAMPLE_USCC},startup-capital,,200000.00,市级创业资金（2024）,2024-06-30,municipal,\n`;
const IMPORT_CHUNK = 100;

interface ImportRow {
  line: number;
  grantId: string;
  status: 'imported' | 'already-imported';
}

/** 台账导入: grants made before this system or under other policies, so that 就高不重复 counts them. */
export function LedgerImport() {
  const [rows, setRows] = useState<ImportRow[]>([]);
  const [fileName, setFileName] = useState('');
  const action = useAction();

  async function importFile(file: File) {
    setRows([]);
    setFileName(file.name);
    await action.run(async () => {
      const parsed = Papa.parse<Record<string, string>>(await file.text(), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
      const missing = LEDGER_COLUMNS.filter((column) => !OPTIONAL_COLUMNS.includes(column) && !parsed.meta.fields?.includes(column));
      if (missing.length) throw new Error(`CSV 缺少列：${missing.join('、')}（第一行应为列名：${LEDGER_COLUMNS.join(',')}）`);
      // Every row is checked before anything is sent: a file is imported whole or not at all.
      const issues: { path: string; message: string }[] = [];
      const grants = parsed.data.map((row, index) => {
        const grant = Object.fromEntries(
          LEDGER_COLUMNS.map((column) => [column, row[column]?.trim() || undefined]).filter(([, value]) => value !== undefined),
        );
        const result = PriorGrantImport.safeParse(grant);
        if (!result.success) for (const issue of zodIssues(result.error)) issues.push({ path: `第 ${index + 2} 行 ${issue.path}`, message: issue.message });
        return grant;
      });
      if (parsed.errors.length) for (const error of parsed.errors) issues.push({ path: `第 ${(error.row ?? 0) + 2} 行`, message: error.message });
      if (issues.length) throw new ApiError(400, 'VALIDATION_ERROR', `${file.name} 有 ${issues.length} 处错误，未导入任何记录`, issues);
      if (grants.length === 0) throw new Error('文件中没有记录');
      const imported: ImportRow[] = [];
      for (let start = 0; start < grants.length; start += IMPORT_CHUNK) {
        const result = await api<{ items: { grantId: string; status: ImportRow['status'] }[] }>('POST', '/ledger/grants', { grants: grants.slice(start, start + IMPORT_CHUNK) });
        result.items.forEach((item, i) => imported.push({ line: start + i + 2, ...item }));
      }
      setRows(imported);
      const fresh = imported.filter((row) => row.status === 'imported').length;
      return `已导入 ${fresh} 条，${imported.length - fresh} 条此前已导入`;
    });
  }

  const templateUrl = URL.createObjectURL(new Blob(['\ufeff', LEDGER_TEMPLATE], { type: 'text/csv;charset=utf-8' }));
  return (
    <section>
      <h2>台账导入</h2>
      <p class="lead">导入本系统之外已发放的支持（CSV，UTF-8），就高不重复时一并计入。同一 grantId 重复导入不会重复记账。</p>
      <p>
        <a href={templateUrl} download="ledger-import-template.csv">
          下载 CSV 模板
        </a>
        ：列为 {LEDGER_COLUMNS.join(', ')}；subjectType 为 enterprise、person、platform、contract、project、agreement 或 team。
      </p>
      <div class="field">
        <label for="ledger-file">选择 CSV 文件</label>
        <input
          id="ledger-file"
          type="file"
          accept=".csv,text/csv"
          disabled={action.busy}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void importFile(file);
            event.currentTarget.value = '';
          }}
        />
      </div>
      {action.busy ? <Loading what={` ${fileName}`} /> : null}
      <ErrorSummary error={action.error} title="导入失败" />
      {action.message ? <Notice>{action.message}</Notice> : null}
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <caption>{fileName} 导入结果</caption>
            <thead>
              <tr>
                <th scope="col">行</th>
                <th scope="col">grantId</th>
                <th scope="col">结果</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{row.line}</td>
                  <td>{row.grantId}</td>
                  <td>{row.status === 'imported' ? '已导入' : '此前已导入'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

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
