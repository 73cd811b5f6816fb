import type { ProgramInfo, Quote } from './api-types';
import { REASON_NEXT_STEPS } from '../../functions/domain/reasons';
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, apiAll } from './api';
import { DEPT_LABELS, EVENT_LABELS, DECISION_LABELS, STAGE_LABELS, STATUS_LABELS, pathLabel } from './labels';
import { formatYuan, sumYuan } from './money';
import { fieldId } from './schema-form';

/** Loads data for a view; `reload` after a change. Errors are shown, never swallowed. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: Error; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}

/**
 * An action started by a button: busy while it runs, its error shown, or the message it returns.
 * Throwing (an ApiError, or a failed check with `issues`) is how an action reports what went wrong.
 */
export function useAction() {
  const [error, setError] = useState<Error>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<string | void>) {
    setError(undefined);
    setMessage(undefined);
    setBusy(true);
    try {
      setMessage((await action()) ?? undefined);
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  }
  return { error, message, busy, run, setError };
}

/**
 * A paged listing, one page at a time with 上一页/下一页. Changing the filters starts again at the first
 * page; `reloadKey` reloads the page shown (after a save).
 */
export function usePagedList<T>(path: string, filters: Record<string, string>, reloadKey = 0) {
  const base = `${path}?${new URLSearchParams(filters)}`;
  const [paging, setPaging] = useState<{ base: string; tokens: string[] }>({ base, tokens: [] });
  const tokens = paging.base === base ? paging.tokens : [];
  const nextToken = tokens.at(-1);
  const list = useLoad(
    () => api<{ items: T[]; nextToken?: string }>('GET', nextToken ? `${base}&nextToken=${encodeURIComponent(nextToken)}` : base),
    [base, nextToken, reloadKey],
  );
  const pager = (
    <div class="actions">
      {tokens.length ? (
        <button type="button" class="secondary" onClick={() => setPaging({ base, tokens: tokens.slice(0, -1) })}>
          上一页
        </button>
      ) : null}
      {list.data?.nextToken ? (
        <button type="button" class="secondary" onClick={() => setPaging({ base, tokens: [...tokens, list.data!.nextToken!] })}>
          下一页
        </button>
      ) : null}
    </div>
  );
  return { ...list, pager };
}

export function Loading(props: { what?: string }) {
  return (
    <p class="loading" role="status">
      正在加载{props.what ?? ''}…
    </p>
  );
}

/** An error from the API or a check: its message, and each field's issue as a link to the field. */
export function ErrorSummary(props: { error?: Error | ApiError | null; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (props.error) ref.current?.focus();
  }, [props.error]);
  if (!props.error) return null;
  const issues = props.error instanceof ApiError ? props.error.issues : ((props.error as { issues?: { path: string; message: string }[] }).issues ?? []);
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <p>
        <strong>{props.title ?? '操作未完成'}：</strong>
        {props.error.message}
      </p>
      {issues.length ? (
        <ul>
          {issues.map((issue) => {
            const label = pathLabel(issue.path);
            return label ? (
              <li>
                <a href={`#${fieldId(issue.path)}`} onClick={(event) => focusField(event, issue.path)}>
                  {label}
                </a>
                ：{issue.message}
              </li>
            ) : (
              <li>{issue.message}</li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

function focusField(event: Event, path: string) {
  event.preventDefault();
  document.getElementById(fieldId(path))?.focus();
}

export function Notice(props: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge status-${props.status.toLowerCase()}`}>{STATUS_LABELS[props.status] ?? props.status}</span>;
}

export const stageLabel = (stage?: string) => (stage ? (STAGE_LABELS[stage] ?? stage) : '—');
export const deptLabel = (dept?: string) => (dept ? (DEPT_LABELS[dept] ?? dept) : '—');

export function formatTime(iso?: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}

export type { Quote } from './api-types';

/** The amount with its breakdown, the measures it cites, and what prior grants took off (就高不重复). */
export function QuoteView(props: { quote: Quote; heading?: string }) {
  const { quote } = props;
  return (
    <section class="quote" aria-label={props.heading ?? '测算结果'}>
      <h3>{props.heading ?? '测算结果'}</h3>
      <p class="quote-amount">
        {quote.eligible ? '可获支持' : '本次可获支持'}：<strong data-testid="quote-amount">{formatYuan(quote.amount)}</strong>
      </p>
      {!quote.eligible ? (
        <p class="quote-why">
          {quote.lines.length ? `按所填信息测算为 ${formatYuan(sumYuan(quote.lines.map((line) => line.amount)))}，` : ''}因下列原因本次不予支持：
        </p>
      ) : null}
      {quote.lines.length ? (
        <table>
          <caption>计算明细</caption>
          <thead>
            <tr>
              <th scope="col">项目</th>
              <th scope="col">依据</th>
              <th scope="col">政策条款</th>
              <th scope="col" class="num">
                金额
              </th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((line) => (
              <tr>
                <td>{line.label}</td>
                <td>{line.basis}</td>
                <td>{line.measure}</td>
                <td class="num">{formatYuan(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {quote.priorGrants.length ? (
        <div class="prior-grants">
          <h4>已享受的同类支持（就高不重复，已扣减）</h4>
          <ul>
            {quote.priorGrants.map((grant) => (
              <li>
                {grant.policy}：{formatYuan(grant.amount)}
                {/* In words, never the ledger key; assessments stored before explanations have none. */}
                {grant.explanation ? <p class="muted">{grant.explanation}</p> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {quote.reasons.length ? (
        <ul class="reasons">
          {quote.reasons.map((reason) => (
            <li>
              {reason.message}
              {reason.code in REASON_NEXT_STEPS ? <p class="next-step">下一步：{REASON_NEXT_STEPS[reason.code as keyof typeof REASON_NEXT_STEPS]}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

interface ApplicationEvent {
  type: string;
  at: string;
  actor: string;
  data?: Record<string, unknown>;
}

/** The audit trail, oldest first. */
export function EventsView(props: { applicationId: string; version?: number }) {
  const { data, error } = useLoad(() => apiAll<ApplicationEvent>(`/applications/${props.applicationId}/events`), [props.applicationId, props.version]);
  if (error) return <ErrorSummary error={error} title="无法加载办理记录" />;
  if (!data) return <Loading what="办理记录" />;
  return (
    <ol class="timeline" aria-label="办理记录">
      {data.map((event) => (
        <li>
          <time dateTime={event.at}>{formatTime(event.at)}</time>
          <strong>{EVENT_LABELS[event.type] ?? event.type}</strong>
          <span class="muted">{event.actor === 'workflow' ? '系统' : event.actor}</span>
          <EventData data={event.data} />
        </li>
      ))}
    </ol>
  );
}

function EventData(props: { data?: Record<string, unknown> }) {
  const data = props.data;
  if (!data) return null;
  const parts: string[] = [];
  if (typeof data.stage === 'string') parts.push(stageLabel(data.stage));
  if (typeof data.dept === 'string') parts.push(deptLabel(data.dept));
  if (typeof data.decision === 'string') parts.push(DECISION_LABELS[data.decision] ?? data.decision);
  if (typeof data.amount === 'string') parts.push(formatYuan(data.amount));
  if (typeof data.comment === 'string') parts.push(`意见：${data.comment}`);
  if (typeof data.reason === 'string') parts.push(`原因：${data.reason}`);
  if (typeof data.message === 'string') parts.push(data.message);
  if (typeof data.reference === 'string') parts.push(`流水号：${data.reference}`);
  if (Array.isArray(data.reasons)) for (const reason of data.reasons as { message: string }[]) parts.push(reason.message);
  return parts.length ? <p class="event-data">{parts.join('；')}</p> : null;
}

export type { ProgramInfo } from './api-types';

let programsCache: Promise<ProgramInfo[]> | undefined;
/** Programs change only with parameters; one load per sign-in is enough for titles. */
export function programs(fresh = false): Promise<ProgramInfo[]> {
  if (fresh || !programsCache) programsCache = api<{ items: ProgramInfo[] }>('GET', '/programs').then((body) => body.items);
  programsCache.catch(() => (programsCache = undefined));
  return programsCache;
}

export function usePrograms() {
  return useLoad(() => programs(), []);
}

export function programTitle(list: ProgramInfo[] | undefined, programId: string): string {
  return list?.find((program) => program.programId === programId)?.title ?? programId;
}

/** An enterprise as people recognise it: its roster name, with the USCC beside it. */
export function EnterpriseLabel(props: { uscc: string; name?: string | undefined }) {
  return (
    <span class="enterprise">
      {props.name ?? '（未在入驻主体名录）'} <span class="uscc">{props.uscc}</span>
    </span>
  );
}
