import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assess } from '../../functions/domain/assessment.js';
import { formatYuan, sumYuan, yuan } from '../../functions/domain/money.js';
import { ProgramApplication } from '../../schemas/programs.js';
import { uscc } from '../support/fixtures.js';

interface PolicyCase {
  name: string;
  submittedOn: string;
  details: Record<string, unknown>;
  roster?: { joinedOn: string } | null;
  creditRestricted?: boolean;
  priorGrants?: { benefitKey: string; amount: string; policy: string }[];
  expect: { eligible: boolean; amount: string; reasons?: string[]; measures?: string[]; priorGrants?: number };
}

const folder = path.join(import.meta.dirname, '..', 'policy-cases');

/** The policy cases under test/policy-cases/, one YAML file per program, each case run through the engine. */
for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
  const { program, cases } = parse(readFileSync(path.join(folder, file), 'utf8')) as {
    program: string;
    cases: PolicyCase[];
  };

  describe(`policy cases: ${file}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      // The case's input must itself be valid API input.
      const parsed = ProgramApplication.parse({ programId: program, details: c.details });
      const result = assess(
        { programId: program, details: parsed.details, uscc: uscc(1), submittedOn: String(c.submittedOn) },
        {
          roster: c.roster === null ? undefined : (c.roster ?? { joinedOn: '2025-01-10' }),
          creditRestricted: c.creditRestricted ?? false,
          priorGrants: (c.priorGrants ?? []).map((g, i) => ({ ...g, grantId: `prior-${i}`, grantedOn: '2025-01-01' })),
        },
      );
      expect({ eligible: result.eligible, amount: result.amount }).toEqual({ eligible: c.expect.eligible, amount: c.expect.amount });
      expect(result.reasons.map((r) => r.code)).toEqual(c.expect.reasons ?? []);
      for (const reason of result.reasons) expect(reason.message).toMatch(/[\u4e00-\u9fff]/);
      if (c.expect.measures) expect(result.lines.map((l) => l.measure)).toEqual(expect.arrayContaining(c.expect.measures));
      expect(result.priorGrants).toHaveLength(c.expect.priorGrants ?? 0);
      if (result.eligible) {
        expect(formatYuan(sumYuan(result.lines.map((line) => yuan(line.amount))))).toBe(result.amount);
      }
    });
  });
}
