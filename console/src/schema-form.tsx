import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { z } from 'zod';
import { formatYuan, parseYuan } from './money';
import { FIELD_LABELS, fieldLabel, valueLabel } from './labels';

/**
 * Forms generated from the API's own zod schemas (through their JSON Schema), so that the console asks
 * for exactly what the API accepts. The same zod schema then checks the input before it is sent; what
 * JSON Schema cannot say (cross-field rules, check digits) comes from that check, field by field.
 */

type Schema = {
  type?: string;
  $ref?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
  $defs?: Record<string, Schema>;
};

export type Errors = ReadonlyMap<string, string>;

export function jsonSchemaOf(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

/** Issues keyed by their path, as the API reports them ("details.person.idNumber"). */
export function issuesByPath(issues: readonly { path: string; message: string }[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const issue of issues) if (!map.has(issue.path)) map.set(issue.path, issue.message);
  return map;
}

export function zodIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

interface Context {
  defs: Record<string, Schema>;
  errors: Errors;
}

interface Resolved {
  schema: Schema;
  /** The name of the $defs entry it came from: Money, Date, ResidentId, Uscc… */
  kind?: string;
}

function resolve(schema: Schema, ctx: Context): Resolved {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = ctx.defs[name];
    if (!target) return { schema };
    const inner = resolve(target, ctx);
    return { schema: inner.schema, kind: inner.kind ?? name };
  }
  return { schema };
}

/** The id of the input for a field path: error summaries link to it. */
export const fieldId = (path: string) => `f-${path.replace(/[^\w]+/g, '-')}`;

/** A field's label; an array's items are "<array> 第 n 项", so each has a name of its own. */
function labelOf(name: string, path: string): string {
  const index = /\.(\d+)$/.exec(path)?.[1];
  return index === undefined ? fieldLabel(name) : `${fieldLabel(name)} 第 ${Number(index) + 1} 项`;
}

/** The discriminating property of a union of objects: the one every option fixes with a const. */
function discriminatorOf(options: Schema[], ctx: Context): string | undefined {
  const resolved = options.map((option) => resolve(option, ctx).schema);
  if (!resolved.every((option) => option.type === 'object')) return undefined;
  const first = resolved[0]?.properties ?? {};
  return Object.keys(first).find((key) => resolved.every((option) => option.properties?.[key]?.const !== undefined));
}

/** A starting value: constants filled in, booleans false, the first option of a union. */
export function initialValue(schema: Schema, ctx: { defs: Record<string, Schema> }): unknown {
  const c = { defs: ctx.defs, errors: new Map() };
  const { schema: s } = resolve(schema, c);
  if (s.const !== undefined) return s.const;
  const options = s.oneOf ?? s.anyOf;
  if (options && discriminatorOf(options, c)) return initialValue(options[0]!, ctx);
  if (s.type === 'object') {
    const value: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(s.properties ?? {})) {
      if (!s.required?.includes(key)) continue;
      const initial = initialValue(property, ctx);
      if (initial !== undefined) value[key] = initial;
    }
    return value;
  }
  if (s.type === 'boolean') return false;
  if (s.type === 'array') return [];
  return undefined;
}

export function SchemaForm(props: { schema: Schema; value: unknown; onChange: (value: unknown) => void; errors: Errors; path: string }) {
  const ctx: Context = { defs: props.schema.$defs ?? {}, errors: props.errors };
  return <Field schema={props.schema} ctx={ctx} path={props.path} value={props.value} onChange={props.onChange} required root />;
}

interface FieldProps {
  schema: Schema;
  ctx: Context;
  path: string;
  name?: string;
  value: unknown;
  onChange: (value: unknown) => void;
  required: boolean;
  root?: boolean;
}

function Field(props: FieldProps): JSX.Element | null {
  const { schema, kind } = resolve(props.schema, props.ctx);
  const options = schema.oneOf ?? schema.anyOf;
  // A required constant (a union's tag) is filled in; an optional one (housing's tier "A") is a choice.
  if (schema.const !== undefined) return props.required ? null : <SelectField {...props} values={[schema.const]} />;
  if (options) {
    const discriminator = discriminatorOf(options, props.ctx);
    if (discriminator) return <UnionField {...props} options={options} discriminator={discriminator} />;
    if (options.every((option) => option.const !== undefined)) {
      return <SelectField {...props} values={options.map((option) => option.const)} />;
    }
  }
  if (schema.type === 'object') return <ObjectField {...props} schema={schema} />;
  if (schema.type === 'array') return <ArrayField {...props} schema={schema} />;
  if (schema.enum) return <SelectField {...props} values={schema.enum} />;
  if (schema.type === 'boolean') return <CheckboxField {...props} />;
  return <InputField {...props} schema={schema} kind={kind} />;
}

function ObjectField(props: FieldProps) {
  const value = (props.value ?? {}) as Record<string, unknown>;
  const children = Object.entries(props.schema.properties ?? {}).map(([key, property]) => (
    <Field
      key={key}
      schema={property}
      ctx={props.ctx}
      path={props.path ? `${props.path}.${key}` : key}
      name={key}
      value={value[key]}
      required={props.schema.required?.includes(key) ?? false}
      onChange={(next) => {
        const copy = { ...value };
        if (next === undefined) delete copy[key];
        else copy[key] = next;
        props.onChange(copy);
      }}
    />
  ));
  if (props.root) return <div class="form-grid">{children}</div>;
  return (
    <fieldset class="form-group">
      <legend>{labelOf(props.name ?? '', props.path)}</legend>
      <ErrorText ctx={props.ctx} path={props.path} />
      <div class="form-grid">{children}</div>
    </fieldset>
  );
}

function UnionField(props: FieldProps & { options: Schema[]; discriminator: string }) {
  const value = (props.value ?? {}) as Record<string, unknown>;
  const resolved = props.options.map((option) => resolve(option, props.ctx).schema);
  const tags = resolved.map((option) => option.properties![props.discriminator]!.const);
  const selected = resolved[Math.max(0, tags.indexOf(value[props.discriminator]))]!;
  const id = fieldId(`${props.path}.${props.discriminator}`);
  return (
    <fieldset class="form-group">
      {props.name ? <legend>{fieldLabel(props.name)}</legend> : null}
      <div class="field">
        <label for={id}>{fieldLabel(props.discriminator)}</label>
        <select
          id={id}
          value={String(value[props.discriminator] ?? tags[0])}
          onChange={(event) => {
            const option = resolved[tags.map(String).indexOf(event.currentTarget.value)]!;
            props.onChange(initialValue(option, props.ctx));
          }}
        >
          {tags.map((tag) => (
            <option value={String(tag)}>{valueLabel(tag)}</option>
          ))}
        </select>
      </div>
      <ObjectField {...props} schema={selected} root />
    </fieldset>
  );
}

function ArrayField(props: FieldProps) {
  const items = (props.value ?? []) as unknown[];
  const itemSchema = props.schema.items ?? {};
  const label = fieldLabel(props.name ?? '');
  const set = (index: number, next: unknown) => props.onChange(items.map((item, i) => (i === index ? next : item)));
  return (
    <fieldset class="form-group array" id={fieldId(props.path)}>
      <legend>
        {label}
        {props.required ? null : <span class="optional">（选填）</span>}
      </legend>
      <ErrorText ctx={props.ctx} path={props.path} />
      <ol class="array-items">
        {items.map((item, index) => (
          <li key={index}>
            <Field
              schema={itemSchema}
              ctx={props.ctx}
              path={`${props.path}.${index}`}
              name={`${props.name ?? ''}`}
              value={item}
              required
              onChange={(next) => set(index, next)}
            />
            <button type="button" class="link danger" aria-label={`删除${label} 第 ${index + 1} 项`} onClick={() => props.onChange(items.filter((_, i) => i !== index))}>
              删除
            </button>
          </li>
        ))}
      </ol>
      <button type="button" class="secondary" onClick={() => props.onChange([...items, initialValue(itemSchema, props.ctx)])}>
        添加{label}
      </button>
    </fieldset>
  );
}

function Label(props: { id: string; name: string; required: boolean; path: string }) {
  const name = props.name || '';
  return (
    <label for={props.id}>
      {labelOf(name, props.path)}
      {props.required ? null : <span class="optional">（选填）</span>}
    </label>
  );
}

function ErrorText(props: { ctx: Context; path: string }) {
  const message = props.ctx.errors.get(props.path);
  return message ? (
    <p class="field-error" id={`${fieldId(props.path)}-error`}>
      {message}
    </p>
  ) : null;
}

const describedBy = (ctx: Context, path: string) => (ctx.errors.has(path) ? `${fieldId(path)}-error` : undefined);

function SelectField(props: FieldProps & { values: unknown[] }) {
  const id = fieldId(props.path);
  const numeric = props.values.every((value) => typeof value === 'number');
  return (
    <div class="field">
      <Label id={id} name={props.name ?? ''} required={props.required} path={props.path} />
      <select
        id={id}
        value={props.value === undefined ? '' : String(props.value)}
        aria-invalid={props.ctx.errors.has(props.path) || undefined}
        aria-describedby={describedBy(props.ctx, props.path)}
        onChange={(event) => {
          const raw = event.currentTarget.value;
          props.onChange(raw === '' ? undefined : numeric ? Number(raw) : raw);
        }}
      >
        <option value="">请选择</option>
        {props.values.map((value) => (
          <option value={String(value)}>{valueLabel(value)}</option>
        ))}
      </select>
      <ErrorText ctx={props.ctx} path={props.path} />
    </div>
  );
}

function CheckboxField(props: FieldProps) {
  const id = fieldId(props.path);
  return (
    <div class="field checkbox">
      <input id={id} type="checkbox" checked={props.value === true} onChange={(event) => props.onChange(event.currentTarget.checked)} />
      <label for={id}>{fieldLabel(props.name ?? '')}</label>
      <ErrorText ctx={props.ctx} path={props.path} />
    </div>
  );
}

const MONTH_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])$';

function InputField(props: FieldProps & { kind: string | undefined }) {
  const id = fieldId(props.path);
  const { schema, kind } = props;
  // A money field keeps what was typed ("200万", "1,234.50") and passes on the API's form of it.
  const [typed, setTyped] = useState<string>();
  const shown = kind === 'Money' && typed !== undefined && (parseYuan(typed) ?? typed) === props.value ? typed : props.value === undefined ? '' : String(props.value);
  const converted = kind === 'Money' && typed !== undefined && shown === typed && typeof props.value === 'string' && props.value !== typed ? props.value : undefined;
  const integer = schema.type === 'integer' || schema.type === 'number';
  const type = kind === 'Date' ? 'date' : schema.pattern === MONTH_PATTERN ? 'month' : integer ? 'number' : 'text';
  const hint = kind === 'Money' ? '以元为单位，最多两位小数，可写 1,234.50 或 200万' : kind === 'ResidentId' ? '18 位，仅用于核验与查重，不在页面中明文显示' : undefined;
  return (
    <div class={`field${kind === 'Money' ? ' money' : ''}`}>
      <Label id={id} name={props.name ?? ''} required={props.required} path={props.path} />
      <input
        id={id}
        // Preact types each input type's attributes apart; the type here is chosen at run time.
        type={type as 'text'}
        value={shown}
        inputMode={kind === 'Money' ? 'decimal' : integer ? 'numeric' : undefined}
        autoComplete={kind === 'ResidentId' ? 'off' : undefined}
        min={schema.minimum}
        max={schema.maximum}
        maxLength={schema.maxLength}
        aria-invalid={props.ctx.errors.has(props.path) || undefined}
        aria-describedby={[hint ? `${id}-hint` : '', describedBy(props.ctx, props.path) ?? ''].filter(Boolean).join(' ') || undefined}
        onInput={(event) => {
          const raw = event.currentTarget.value.trim();
          if (kind === 'Money') {
            setTyped(raw);
            props.onChange(raw === '' ? undefined : (parseYuan(raw) ?? raw));
            return;
          }
          props.onChange(raw === '' ? undefined : integer && /^-?\d+$/.test(raw) ? Number(raw) : raw);
        }}
      />
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
          {converted ? `（即 ${formatYuan(converted)}）` : ''}
        </p>
      ) : null}
      <ErrorText ctx={props.ctx} path={props.path} />
    </div>
  );
}

/** Stored details come back in any key order; show them in the forms' order (the labels' order). */
const FIELD_ORDER = new Map(Object.keys(FIELD_LABELS).map((name, i) => [name, i]));
const fieldOrder = (name: string) => FIELD_ORDER.get(name) ?? FIELD_ORDER.size;

/** A read-only view of submitted details, with the same labels as the form. */
export function DetailsView(props: { value: unknown }): JSX.Element {
  const value = props.value;
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item !== 'object')) return <span>{value.map(valueLabel).join('、')}</span>;
    return (
      <ol class="details-list">
        {value.map((item) => (
          <li>
            <DetailsView value={item} />
          </li>
        ))}
      </ol>
    );
  }
  if (value && typeof value === 'object') {
    return (
      <dl class="details">
        {Object.entries(value as Record<string, unknown>).sort(([a], [b]) => fieldOrder(a) - fieldOrder(b)).map(([key, item]) => (
          <>
            <dt>{fieldLabel(key)}</dt>
            <dd>
              <DetailsView value={item} />
            </dd>
          </>
        ))}
      </dl>
    );
  }
  if (typeof value === 'boolean') return <span>{value ? '是' : '否'}</span>;
  return <span>{valueLabel(value)}</span>;
}
