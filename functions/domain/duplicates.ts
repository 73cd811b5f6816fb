import { distance } from 'fastest-levenshtein';
import { normaliseId } from './identifiers.js';

/** What an application is about, as far as telling duplicates apart goes (§5.11). */
export interface SubjectMarks {
  /** Names of the thing paid for: platform, project, product (normalised). */
  names: string[];
  /** Numbers that identify it: contract registration numbers, agreement numbers, team ids (normalised). */
  numbers: string[];
}

export interface DuplicateWarning {
  applicationId: string;
  /** 0–1: 1 for the same normalised name or number, else the names' normalised Levenshtein similarity. */
  similarity: number;
  reason: string;
}

/** Names at least this similar are pointed out to the reviewer (§5.11). */
export const SIMILARITY_THRESHOLD = 0.8;

type Details = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? normaliseId(value) : '');
const present = (values: string[]) => [...new Set(values.filter((v) => v !== ''))];

/**
 * The marks of one application's details. Talent programs have none: a person is already one key
 * across enterprises (the person key), and names of people are not compared.
 */
export function subjectMarks(programId: string, details: unknown): SubjectMarks {
  const d = (details ?? {}) as Details;
  switch (programId) {
    case 'platform-award':
      return { names: present([text(d.platformName)]), numbers: present([text(d.approvalDocNo)]) };
    case 'tech-transaction':
      return { names: [], numbers: present(((d.contracts as Details[] | undefined) ?? []).map((c) => text(c.registrationNo))) };
    case 'competition-award':
      return { names: present([text(d.projectName)]), numbers: [] };
    case 'first-of-kind':
      return { names: present([text(d.productName)]), numbers: present([text(d.agreementNo)]) };
    case 'entrepreneurship':
      return { names: [], numbers: present([text(d.teamId)]) };
    default:
      return { names: [], numbers: [] };
  }
}

/**
 * Normalised Levenshtein similarity of two normalised names: 1 − distance / longer length. Names whose
 * digits differ (`1号孵化器` / `2号孵化器`) name numbered, distinct things: not similar, however close
 * the rest is. (Chinese numerals are letters here and still compared by distance.)
 */
export function nameSimilarity(a: string, b: string): number {
  const longer = Math.max([...a].length, [...b].length);
  if (longer === 0) return 0;
  if (a !== b && digitsOf(a) !== digitsOf(b)) return 0;
  return 1 - distance(a, b) / longer;
}

const digitsOf = (name: string) => (name.match(/\d+/g) ?? []).join(' ');

/**
 * Warnings for an application against others already granted or in review, of any enterprise and
 * program: the same number, the same name, or names at least 80 % similar. One warning per other
 * application, its strongest reason.
 */
export function duplicateWarnings(
  mine: SubjectMarks,
  others: readonly { applicationId: string; programId: string; marks: SubjectMarks }[],
): DuplicateWarning[] {
  const warnings: DuplicateWarning[] = [];
  for (const other of others) {
    let best: DuplicateWarning | undefined;
    const sameNumber = mine.numbers.find((n) => other.marks.numbers.includes(n));
    if (sameNumber) best = { applicationId: other.applicationId, similarity: 1, reason: `编号相同（${sameNumber}），${other.programId}` };
    for (const name of mine.names) {
      for (const theirs of other.marks.names) {
        const similarity = Math.round(nameSimilarity(name, theirs) * 100) / 100;
        if (similarity < SIMILARITY_THRESHOLD || (best && best.similarity >= similarity)) continue;
        best = { applicationId: other.applicationId, similarity, reason: similarity === 1 ? `名称相同（${theirs}）` : `名称相似（${name} / ${theirs}）` };
      }
    }
    if (best) warnings.push(best);
  }
  return warnings.sort((a, b) => b.similarity - a.similarity);
}
