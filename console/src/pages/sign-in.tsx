import { useState } from 'preact/hooks';
import { type ConsoleConfig, type Role, signInLocally, startOidcSignIn } from '../auth';
import { ErrorSummary, useAction } from '../components';
import { DEPT_LABELS, ROLE_LABELS } from '../labels';

/** Sign-in: in AWS the OIDC provider's login page; on the local stack a role picker backed by the local issuer. */
export function SignIn(props: { config: ConsoleConfig; expired: boolean }) {
  return (
    <main id="main" class="sign-in">
      <h1>晋创谷·晋城 政策兑现平台</h1>
      <p class="lead">依据《晋城市支持“晋创谷·晋城”创新驱动平台建设的若干措施》（晋市政办〔2024〕39号）受理、审核和拨付。</p>
      {props.expired ? <p class="notice">登录已过期，请重新登录。</p> : null}
      {props.config.signIn === 'oidc' ? <OidcSignIn config={props.config} /> : <LocalSignIn />}
      <p>
        <a href="#/public">查看公示公告（无需登录）</a>
      </p>
    </main>
  );
}

function OidcSignIn(props: { config: Extract<ConsoleConfig, { signIn: 'oidc' }> }) {
  const [error, setError] = useState<Error>();
  return (
    <div class="panel">
      <ErrorSummary error={error} title="无法登录" />
      <button type="button" class="primary" onClick={() => startOidcSignIn(props.config).catch(setError)}>
        统一身份认证登录
      </button>
    </div>
  );
}

function LocalSignIn() {
  const [role, setRole] = useState<Role>('enterprise');
  const [uscc, setUscc] = useState('');
  const [dept, setDept] = useState('park');
  const [sub, setSub] = useState('');
  const { error, busy, run } = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await signInLocally({
        role,
        ...(role === 'enterprise' ? { uscc: uscc.trim() } : {}),
        ...(role === 'reviewer' ? { dept } : {}),
        ...(sub.trim() ? { sub: sub.trim() } : {}),
      });
      location.hash = '/';
    });
  };
  return (
    <form class="panel" onSubmit={submit} noValidate aria-labelledby="local-heading">
      <h2 id="local-heading">本地环境登录</h2>
      <p class="hint">本地运行时由本机签发令牌；部署到云上后改为统一身份认证登录。</p>
      <ErrorSummary error={error} title="无法登录" />
      <fieldset class="choices">
        <legend>身份</legend>
        {(Object.keys(ROLE_LABELS) as Role[]).map((value) => (
          <label>
            <input type="radio" name="role" value={value} checked={role === value} onChange={() => setRole(value)} />
            {ROLE_LABELS[value]}
          </label>
        ))}
      </fieldset>
      {role === 'enterprise' ? (
        <div class="field">
          <label for="f-uscc">统一社会信用代码</label>
          <input id="f-uscc" value={uscc} autoComplete="off" onInput={(event) => setUscc(event.currentTarget.value)} />
        </div>
      ) : null}
      {role === 'reviewer' ? (
        <div class="field">
          <label for="f-dept">所属部门</label>
          <select id="f-dept" value={dept} onChange={(event) => setDept(event.currentTarget.value)}>
            {Object.entries(DEPT_LABELS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </div>
      ) : null}
      <div class="field">
        <label for="f-sub">
          用户名<span class="optional">（选填，用于办理记录）</span>
        </label>
        <input id="f-sub" value={sub} autoComplete="username" onInput={(event) => setSub(event.currentTarget.value)} />
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          登录
        </button>
      </div>
    </form>
  );
}
