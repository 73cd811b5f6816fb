import { useState } from 'preact/hooks';
import { z } from 'zod';
import { RegistryEntry } from '../../../../schemas/api';
import { Uscc } from '../../../../schemas/common';
import { api } from '../../api';
import { ErrorSummary, Notice, useAction, usePagedList } from '../../components';
import { Text, checked } from './form';

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
