import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ConsoleConfig, type Role, completeOidcSignIn, expired, loadConfig, session } from './auth';
import { EnterpriseLabel, ErrorSummary, Loading, deptLabel, useLoad } from './components';
import { api } from './api';
import { ROLE_LABELS } from './labels';
import { REVIEWING_DEPARTMENTS } from '../../functions/domain/vocabulary';
import { match, useRoute } from './router';
import { PublicNotices } from './pages/public-notices';
import { useStore } from './store';
import { Credit, LedgerImport, Parameters, Roster, WorkflowFailures } from './pages/admin';
import { ApplicationList, ApplicationPage, Calculator } from './pages/enterprise';
import { Awards, BatchList, BatchPage, BudgetChart } from './pages/finance';
import { TaskList, TaskPage } from './pages/reviewer';
import { SignIn } from './pages/sign-in';
import { Inbox, UnreadCount } from './pages/inbox';
import { Objections } from './pages/objections';
import './styles.css';

const NAV: Record<Role, { route: string; label: string }[]> = {
  enterprise: [
    { route: '/', label: '政策计算器与申报' },
    { route: '/applications', label: '我的申请' },
  ],
  reviewer: [
    { route: '/tasks', label: '待办任务' },
    { route: '/applications', label: '申请查询' },
  ],
  finance: [
    { route: '/', label: '待拨付' },
    { route: '/batches', label: '拨付批次' },
    { route: '/budget', label: '预算执行' },
  ],
  admin: [
    { route: '/', label: '入驻主体名录' },
    { route: '/credit', label: '失信限制' },
    { route: '/ledger', label: '台账导入' },
    { route: '/parameters', label: '政策参数' },
    { route: '/failures', label: '流程异常' },
    { route: '/applications', label: '申请查询' },
  ],
};

const PUBLISHING_DEPTS = new Set<string>(REVIEWING_DEPARTMENTS);

const DONE_NOTICES: Record<string, string> = { approve: '已提交：通过', return: '已提交：退回补正', reject: '已提交：不予通过' };

function Page(props: { role: Role; route: string }) {
  const { role, route } = props;
  const query = new URLSearchParams(route.split('?')[1] ?? '');
  let params: Record<string, string> | undefined;
  if ((params = match('/applications/:id', route))) {
    return <ApplicationPage id={params.id!} {...(query.has('submitted') ? { notice: '申请已提交，系统正在测算并送审。' } : {})} />;
  }
  if (match('/applications', route)) return <ApplicationList title={role === 'enterprise' ? '我的申请' : '申请查询'} />;
  if (match('/inbox', route)) return <Inbox />;
  if (match('/objections', route) && (role === 'admin' || role === 'reviewer')) return <Objections />;
  switch (role) {
    case 'enterprise':
      return <Calculator />;
    case 'reviewer':
      if ((params = match('/tasks/:taskId/:applicationId', route))) return <TaskPage taskId={params.taskId!} applicationId={params.applicationId!} />;
      return <TaskList {...(query.get('done') ? { notice: DONE_NOTICES[query.get('done')!] ?? '已提交' } : {})} />;
    case 'finance':
      if ((params = match('/batches/:id', route))) return <BatchPage id={params.id!} {...(query.has('created') ? { notice: '批次已生成，请下载支付文件。' } : {})} />;
      if (match('/batches', route)) return <BatchList />;
      if (match('/budget', route)) return <BudgetChart />;
      return <Awards />;
    case 'admin':
      if (match('/credit', route)) return <Credit />;
      if (match('/ledger', route)) return <LedgerImport />;
      if (match('/parameters', route)) return <Parameters />;
      if (match('/failures', route)) return <WorkflowFailures />;
      return <Roster />;
  }
}

/** The signed-in enterprise by its roster name, the USCC beside it. */
function EnterpriseHeader(props: { uscc: string }) {
  const { data } = useLoad(() => api<{ name: string }>('GET', `/registry/${props.uscc}`).catch(() => undefined), [props.uscc]);
  return (
    <>
      {' · '}
      <EnterpriseLabel uscc={props.uscc} name={data?.name} />
    </>
  );
}

function Shell() {
  const current = useStore(session)!;
  const route = useRoute();
  const { claims } = current;
  const role = claims.role;
  // 公示异议: the departments that publish 公示 (科技局, 人社局) and administrators.
  const nav = [...(NAV[role] ?? []), ...(role === 'admin' || PUBLISHING_DEPTS.has(claims.dept ?? '') ? [{ route: '/objections', label: '公示异议' }] : [])];
  const section = route.split('?')[0]!;
  const active = nav.filter((item) => item.route === section || (item.route !== '/' && section.startsWith(item.route)))[0] ?? (section === '/' ? nav[0] : undefined);
  useEffect(() => {
    document.title = `${active?.label ?? '晋创谷·晋城'} - 政策兑现平台`;
  }, [active]);
  if (!NAV[role]) return <ErrorSummary error={new Error(`令牌中的角色“${String(role)}”无法使用本系统`)} />;
  return (
    <>
      <a class="skip-link" href="#main" onClick={(event) => (event.preventDefault(), document.getElementById('main')?.focus())}>
        跳到主要内容
      </a>
      <header class="top">
        <span class="brand">晋创谷·晋城 政策兑现平台</span>
        <span class="who">
          {ROLE_LABELS[role]}
          {claims.uscc ? <EnterpriseHeader uscc={claims.uscc} /> : null}
          {claims.dept ? ` · ${deptLabel(claims.dept)}` : ''} · {claims.name ?? claims.sub}
        </span>
        <UnreadCount route={route} />
        <button type="button" class="link" onClick={() => session.signOut()}>
          退出
        </button>
      </header>
      <nav aria-label="主导航">
        <ul>
          {nav.map((item) => (
            <li>
              <a href={`#${item.route}`} aria-current={item === active ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Page role={role} route={route} />
      </main>
    </>
  );
}

function App() {
  const route = useRoute();
  const current = useStore(session);
  const wasExpired = useStore(expired);
  const [config, setConfig] = useState<ConsoleConfig>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    loadConfig()
      .then(async (loaded) => {
        if (loaded.signIn === 'oidc') await completeOidcSignIn(loaded);
        setConfig(loaded);
      })
      .catch(setError);
  }, []);
  // 公示公告: public, no sign-in and no role picker.
  if (route.startsWith('/public')) return <PublicNotices />;
  if (error) return <ErrorSummary error={error} title="控制台无法启动" />;
  if (!config) return <Loading />;
  if (!current) return <SignIn config={config} expired={wasExpired} />;
  // A new person gets fresh views; a renewed token for the same person keeps them.
  return <Shell key={`${current.claims.role}:${current.claims.sub}`} />;
}

render(<App />, document.getElementById('app')!);
