import { z } from 'zod';
import { ApiError } from '../../api';
import { zodIssues } from '../../schema-form';

/** Checks a body with the API's schema; the error carries the same field paths the API would report. */
export function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(400, 'VALIDATION_ERROR', '请按提示修改', zodIssues(result.error));
  return result.data;
}

export function Text(props: { id: string; label: string; value: string; onInput: (value: string) => void; type?: 'text' | 'date'; hint?: string; optional?: boolean }) {
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
