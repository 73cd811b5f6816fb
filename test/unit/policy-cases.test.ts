import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assess } from '../../functions/domain/assessment.js';
import { formatYuan, sumYuan, yuan } from '../../functions/domain/money.js';
import { ProgramApplication } from '../../schemas/programs.js';
import { protectDetails } from '../../functions/domain/personal-data.js';
import { uscc } from '../support/fixtures.js';

const SECRET = 'policy-cases-secret';

interface PolicyCase {
  name: string;
  submittedOn: string;
  details: Record<string, unknown>;
  roster?: { joinedOn: string } | null;
  /** Who is on the 严重失信 list: the applicant enterprise and/or the person of the application. */
  creditRestricted?: ('enterprise' | 'person')[];
  /** level: who granted it (default municipal); enterprise: to whom (default the applicant, `other` another one). */
  priorGrants?: { benefitKey: string; amount: string; policy: string; level?: string; enterprise?: 'other' }[];
  expect: {
    eligible: boolean;
    amount: string;
    reasons?: string[];
    measures?: string[];
    priorGrants?: number;
    /** Text that must not appear anywhere in the answer (another enterprise's history, a key). */
    hides?: string[];
    /** A line whose label contains this text (a note to the reviewer, a line left out). */
    lineContaining?: string;
  };
}

const folder = path.join(import.meta.dirname, '..', 'policy-cases');

/** The policy cases under test/policy-cases/, one YAML file per program, each case run through the engine. */
for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
  const { program, cases } = parse(readFileSync(path.join(folder, file), 'utf8'), { merge: true }) as {
    program: string;
    cases: PolicyCase[];
  };

  describe(`policy cases: ${file}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      // The case's input must itself be valid API input, and goes through the same protection of ID numbers.
      const parsed = ProgramApplication.parse({ programId: program, details: c.details });
      const details = protectDetails(parsed.details, SECRET) as { person?: { personKey: string } };
      const personKey = details.person?.personKey ?? '';
      const result = assess(
        { programId: program, details, uscc: uscc(1), submittedOn: String(c.submittedOn) },
        {
          roster: c.roster === null ? undefined : (c.roster ?? { joinedOn: '2025-01-10' }),
          creditRestricted: (c.creditRestricted ?? []).map((who) => (who === 'person' ? `person:${personKey}` : `enterprise:${uscc(1)}`)),
          // Keys written with <person>, <uscc> or <other> stand for the case's person key, its enterprise and another one.
          priorGrants: (c.priorGrants ?? []).map(({ enterprise, level, ...g }, i) => ({
            ...g,
            ...(level ? { level: level as 'national' } : {}),
            uscc: enterprise === 'other' ? uscc(2) : uscc(1),
            benefitKey: g.benefitKey.replace('<person>', personKey).replaceAll('<uscc>', uscc(1)).replaceAll('<other>', uscc(2)),
            grantId: `prior-${i}`,
            grantedOn: '2025-01-01',
          })),
        },
      );
      expect({ eligible: result.eligible, amount: result.amount }).toEqual({ eligible: c.expect.eligible, amount: c.expect.amount });
      expect(result.reasons.map((r) => r.code)).toEqual(c.expect.reasons ?? []);
      for (const reason of result.reasons) expect(reason.message).toMatch(/[\u4e00-\u9fff]/);
      // No raw ID number ever appears in what the engine says.
      const idNumber = (c.details.person as { idNumber?: string } | undefined)?.idNumber;
      if (idNumber) expect(JSON.stringify(result)).not.toContain(idNumber);
      if (c.expect.measures) expect(result.lines.map((l) => l.measure)).toEqual(expect.arrayContaining(c.expect.measures));
      expect(result.priorGrants).toHaveLength(c.expect.priorGrants ?? 0);
      // A person key never leaves the engine in what a quote shows.
      if (personKey) expect(JSON.stringify({ lines: result.lines, priorGrants: result.priorGrants })).not.toContain(personKey);
      for (const text of c.expect.hides ?? []) expect(JSON.stringify({ lines: result.lines, priorGrants: result.priorGrants })).not.toContain(text);
      if (c.expect.lineContaining) expect(result.lines.map((l) => `${l.label} ${l.basis}`).join('\n')).toContain(c.expect.lineContaining);
      if (result.eligible) {
        expect(formatYuan(sumYuan(result.lines.map((line) => yuan(line.amount))))).toBe(result.amount);
      }
    });
  });
}
