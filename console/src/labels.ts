import * as vocabulary from '../../functions/domain/vocabulary';

/** The console's Chinese names for the API's codes. One place, so that every page says the same thing. */

export const ROLE_LABELS = { enterprise: '企业', reviewer: '审核人员', finance: '财务', admin: '系统管理员' } as const;

// The domain's label maps, looked up by the codes the API sends (plain strings here).
export const DEPT_LABELS: Readonly<Record<string, string>> = vocabulary.DEPARTMENT_NAMES;
export const STATUS_LABELS: Readonly<Record<string, string>> = vocabulary.STATUS_LABELS;
export const STAGE_LABELS: Readonly<Record<string, string>> = vocabulary.STAGE_LABELS;
export const DECISION_LABELS: Readonly<Record<string, string>> = vocabulary.DECISION_LABELS;
export const BATCH_STATUS_LABELS: Readonly<Record<string, string>> = vocabulary.BATCH_STATUS_LABELS;
export const EVENT_LABELS: Readonly<Record<string, string>> = vocabulary.EVENT_LABELS;

export { FIELD_LABELS, VALUE_LABELS } from '../../functions/domain/labels';
import { FIELD_LABELS, VALUE_LABELS } from '../../functions/domain/labels';

export const fieldLabel = (name: string) => FIELD_LABELS[name] ?? name;

/**
 * "details.person.idNumber" → "人才信息 · 身份证号码". Request parts ("body", "query", "details") and
 * anything without a label are left out: a person never reads a property path.
 */
export function pathLabel(path: string): string {
  const parts = path.split('.').filter((part) => !['details', 'body', 'query', 'params', 'headers', 'path'].includes(part));
  return parts
    // A part already in people's words (a program's title) stays as it is.
    .map((part) => (/^\d+$/.test(part) ? `第 ${Number(part) + 1} 项` : /[^\x00-\x7f]/.test(part) ? part : FIELD_LABELS[part]))
    .filter((label): label is string => label !== undefined)
    .join(' · ');
}
export const valueLabel = (value: unknown) => VALUE_LABELS[String(value)] ?? String(value);

export const NOTIFICATION_KIND_LABELS: Readonly<Record<string, string>> = vocabulary.NOTIFICATION_KIND_LABELS;
export const OBJECTION_STATUS_LABELS: Readonly<Record<string, string>> = vocabulary.OBJECTION_STATUS_LABELS;
/** A resolution's outcome is named as the status it leaves the objection in. */
export const OBJECTION_OUTCOME_LABELS = {
  dismissed: vocabulary.OBJECTION_STATUS_LABELS.DISMISSED,
  upheld: vocabulary.OBJECTION_STATUS_LABELS.UPHELD,
} as const satisfies Record<vocabulary.ObjectionOutcome, string>;
export { DOCUMENT_STATUS_LABELS } from '../../functions/domain/documents';
