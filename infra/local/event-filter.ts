/**
 * Lambda's event filtering (the EventBridge pattern syntax), for the rules the templates use: exact
 * values (strings, numbers, booleans, null), `prefix`, `exists` and `anything-but` with values. A
 * pattern with any other rule (numeric, suffix, wildcard, equals-ignore-case, $or, …) is refused when the
 * local stack loads it, so a filter is never matched differently here than in AWS.
 */
export type Pattern = { [field: string]: Pattern | readonly Rule[] };
type Rule = string | number | boolean | null | { prefix: string } | { exists: boolean } | { 'anything-but': readonly (string | number)[] | string | number };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a pattern (as parsed from FilterCriteria.Filters[].Pattern) and returns it typed; throws on what is not supported. */
export function checkPattern(pattern: unknown, where: string): Pattern {
  if (!isObject(pattern)) throw new Error(`${where}: a filter pattern must be a JSON object`);
  for (const [field, value] of Object.entries(pattern)) {
    if (field.startsWith('$')) throw new Error(`${where}: the local stack does not support the filter operator ${field}`);
    if (Array.isArray(value)) {
      if (value.length === 0) throw new Error(`${where}: field ${field} has an empty list of rules`);
      for (const rule of value) checkRule(rule, `${where}.${field}`);
    } else if (isObject(value)) {
      checkPattern(value, `${where}.${field}`);
    } else {
      throw new Error(`${where}: field ${field} must be a list of rules or an object`);
    }
  }
  return pattern as Pattern;
}

function checkRule(rule: unknown, where: string): void {
  if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) return;
  if (!isObject(rule) || Object.keys(rule).length !== 1) throw new Error(`${where}: unsupported filter rule ${JSON.stringify(rule)}`);
  const [[name, argument]] = Object.entries(rule) as [[string, unknown]];
  if (name === 'prefix' && typeof argument === 'string') return;
  if (name === 'exists' && typeof argument === 'boolean') return;
  if (name === 'anything-but' && (typeof argument === 'string' || typeof argument === 'number' || (Array.isArray(argument) && argument.every((a) => ['string', 'number'].includes(typeof a))))) return;
  throw new Error(`${where}: the local stack does not support the filter rule ${JSON.stringify(rule)}`);
}

function ruleMatches(rule: Rule, value: unknown, present: boolean): boolean {
  if (isObject(rule)) {
    if ('exists' in rule) return rule.exists === present;
    if (!present) return false;
    if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
    const excluded = [rule['anything-but']].flat();
    return (typeof value === 'string' || typeof value === 'number') && !excluded.includes(value);
  }
  return present && value === rule;
}

/** Whether a record matches a pattern: every field of the pattern matches (a list field: any of its elements). */
export function matches(pattern: Pattern, record: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const present = isObject(record) && field in record;
    const value = present ? (record as Record<string, unknown>)[field] : undefined;
    if (Array.isArray(expected)) {
      const values = Array.isArray(value) ? value : [value];
      return (expected as readonly Rule[]).some((rule) => (isObject(rule) && 'exists' in rule ? ruleMatches(rule, value, present) : values.some((v) => ruleMatches(rule, v, present))));
    }
    return present && isObject(value) && matches(expected as Pattern, value);
  });
}

/** Lambda's rule for a list of filters: a record passes if any filter matches (no filters: every record). */
export const passes = (patterns: readonly Pattern[], record: unknown) => patterns.length === 0 || patterns.some((pattern) => matches(pattern, record));
