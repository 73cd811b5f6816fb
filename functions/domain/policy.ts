/** The policy document this system enforces, and how a computed line cites it. */
export const POLICY_DOCUMENT = '晋市政办〔2024〕39号';

/** The citation every computed line of money carries, e.g. "晋市政办〔2024〕39号 第8条". */
export function measure(article: number): string {
  return `${POLICY_DOCUMENT} 第${article}条`;
}

/** 晋城市 is a 市级 government: grants of this policy are recorded as municipal (POLICY.md §5.1). */
export const POLICY_LEVEL = 'municipal' as const;

/**
 * One article (条) as enacted, kept beside the code that applies it (as Catala keeps the law beside the
 * program), so a reviewer can read the rule and its source together. Text from /work/shared/source.
 */
export interface Provision {
  article: number;
  /** "晋市政办〔2024〕39号 第8条", the citation every computed line carries. */
  citation: string;
  text: string;
}

export const provision = (article: number, text: string): Provision => ({ article, citation: measure(article), text });
