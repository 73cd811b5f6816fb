import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import type { Objection } from '../api-types';
import { ErrorSummary, Loading, Notice, formatTime, useAction, useLoad } from '../components';
import { OBJECTION_OUTCOME_LABELS, OBJECTION_STATUS_LABELS } from '../labels';
import { formatYuan } from '../money';
import { issuesByPath } from '../schema-form';
import type { ObjectionOutcome } from '../../../functions/domain/vocabulary';

/** 公示异议: objections to the department's 公示 items (admin: all), newest first, each resolved with a comment. */
export function Objections() {
  const { data, error, reload } = useLoad(() => api<{ items: Objection[] }>('GET', '/objections'), []);
  return (
    <section>
      <h2>公示异议</h2>
      <p class="lead">公示期内收到的异议。异议不成立的，项目在公示期满后继续办理；异议成立的，项目不予通过并释放已占用的额度。</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={reload}>
          刷新
        </button>
      </div>
      <ErrorSummary error={error} />
      {!data && !error ? <Loading what="公示异议" /> : null}
      {data && data.items.length === 0 ? <p>暂无公示异议。</p> : null}
      {data && data.items.length ? (
        <ul class="objections" aria-label="异议列表">
          {data.items.map((objection) => (
            <li>
              <ObjectionView objection={objection} onResolved={reload} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ObjectionView(props: { objection: Objection; onResolved: () => void }) {
  const { objection } = props;
  const { item } = objection;
  const headingId = `objection-${objection.objectionId}`;
  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        {item.enterpriseName}
        {item.personName ? ` ${item.personName}` : ''} · {item.programTitle}{' '}
        <span class={`badge objection-${objection.status.toLowerCase()}`}>{OBJECTION_STATUS_LABELS[objection.status] ?? objection.status}</span>
      </h3>
      <dl class="summary">
        <dt>申请编号</dt>
        <dd>
          <a href={`#/applications/${objection.applicationId}`}>{objection.applicationId}</a>
        </dd>
        <dt>公示序号</dt>
        <dd>{item.itemNo}</dd>
        <dt>政策条款</dt>
        <dd>{item.measure}</dd>
        <dt>公示金额</dt>
        <dd>{formatYuan(item.amount)}</dd>
        <dt>异议人</dt>
        <dd>
          {objection.name}（{objection.contact}）
        </dd>
        <dt>提出时间</dt>
        <dd>{formatTime(objection.createdAt)}</dd>
        <dt>异议理由</dt>
        <dd class="prewrap">{objection.reason}</dd>
        {objection.resolution ? (
          <>
            <dt>处理结果</dt>
            <dd>
              {OBJECTION_OUTCOME_LABELS[objection.resolution.outcome]}：{objection.resolution.comment}（{objection.resolution.by}，{formatTime(objection.resolution.at)}）
            </dd>
          </>
        ) : null}
      </dl>
      {objection.status === 'OPEN' ? <ResolveForm objection={objection} onResolved={props.onResolved} /> : null}
    </article>
  );
}

function ResolveForm(props: { objection: Objection; onResolved: () => void }) {
  const id = props.objection.objectionId;
  const [outcome, setOutcome] = useState<ObjectionOutcome>('dismissed');
  const [comment, setComment] = useState('');
  const { error, message, busy, run } = useAction();
  // One form per objection: the API's `comment` issue is shown beside this form's own field.
  const commentError = issuesByPath((error as ApiError | undefined)?.issues ?? []).get('comment');
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      // The comment is required: it is the reason the enterprise and the objector are given.
      if (!comment.trim()) throw new ApiError(400, 'VALIDATION_ERROR', '请填写处理意见', [{ path: 'comment', message: '请填写处理意见' }]);
      await api('POST', `/objections/${id}/resolution`, { outcome, comment: comment.trim() });
      props.onResolved();
      return '已处理';
    });
  };
  const commentId = `comment-${id}`;
  return (
    <form class="panel" onSubmit={submit} noValidate aria-label="处理异议">
      <ErrorSummary error={error && !commentError ? error : undefined} />
      {message ? <Notice>{message}</Notice> : null}
      <fieldset class="choices">
        <legend>处理结果</legend>
        {(Object.keys(OBJECTION_OUTCOME_LABELS) as ObjectionOutcome[]).map((value) => (
          <label>
            <input type="radio" name={`outcome-${id}`} value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
            {OBJECTION_OUTCOME_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <p class="hint">{outcome === 'upheld' ? '异议成立：该项目不予通过，释放已占用的额度，企业可在办理记录中看到处理意见。' : '异议不成立：该项目在公示期满后继续办理。'}</p>
      <div class="field">
        <label for={commentId}>处理意见（必填）</label>
        <textarea id={commentId} maxLength={2000} value={comment} aria-invalid={commentError ? true : undefined} aria-describedby={commentError ? `${commentId}-error` : undefined} onInput={(event) => setComment(event.currentTarget.value)} />
        {commentError ? (
          <p class="field-error" id={`${commentId}-error`} role="alert">
            {commentError}
          </p>
        ) : null}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          提交处理结果
        </button>
      </div>
    </form>
  );
}
