import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIELD_LABELS } from '../../functions/domain/labels.js';
import { DEFAULT_PARAMETERS, PARAMETERS, PARAMETER_NAMES, type ParameterDeclaration } from '../../functions/domain/parameter-defaults.js';
import { valueOn } from '../../functions/domain/parameters.js';
import { PROGRAMS, SHARED_PARAMETERS, measuresOf } from '../../functions/domain/programs/index.js';
import { PROGRAM_IDS } from '../../functions/domain/vocabulary.js';
import { ProgramApplication } from '../../schemas/programs.js';

const root = path.join(import.meta.dirname, '..', '..');
/** The policy as published (晋市政办〔2024〕39号), compared without whitespace: the PDF text breaks lines. */
const source = readFileSync(path.join(root, 'docs', 'source', 'jcg-support-measures-2024-39.txt'), 'utf8').replace(/\s+/g, '');
const squeeze = (text: string) => text.replace(/\s+/g, '');

const casesFolder = path.join(root, 'test', 'policy-cases');
const programsWithCases = new Map(
  readdirSync(casesFolder)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const { program, cases } = parse(readFileSync(path.join(casesFolder, f), 'utf8'), { merge: true }) as { program: string; cases: unknown[] };
      return [program, cases.length] as const;
    }),
);

const provisions = Object.values(PROGRAMS).flatMap((p) => p.law);

describe('the program registry', () => {
  for (const id of PROGRAM_IDS) {
    const program = PROGRAMS[id];
    describe(id, () => {
      it('is registered under its own id, with a title and a reviewing department', () => {
        expect(program.id).toBe(id);
        expect(program.title).not.toBe('');
        expect(program.department).toBeTruthy();
      });

      it('has policy cases', () => {
        expect(programsWithCases.get(id) ?? 0).toBeGreaterThan(0);
      });

      it('quotes the articles it pays under, word for word from the published text', () => {
        expect(program.law.length).toBeGreaterThan(0);
        for (const provision of program.law) {
          expect(provision.text.length).toBeGreaterThan(40);
          expect(source).toContain(`${provision.article}.${squeeze(provision.text)}`);
        }
        expect(measuresOf(program)).toEqual(program.law.map((p) => `晋市政办〔2024〕39号 第${p.article}条`));
      });

      it('has a documents checklist starting with the business licence', () => {
        expect(program.documents[0]?.docType).toBe('business-licence');
      });

      it('labels every field of its details', () => {
        const option = ProgramApplication.options.find((o) => o.shape.programId.value === id)!;
        // A details schema is an object or a union of objects (第12条's three kinds).
        const details = option.shape.details as unknown as { shape?: Record<string, unknown>; options?: { shape: Record<string, unknown> }[] };
        const fields = [...new Set((details.options ?? [details]).flatMap((o) => Object.keys(o.shape ?? {})))];
        expect(fields.length).toBeGreaterThan(0);
        expect(fields.filter((field) => !FIELD_LABELS[field])).toEqual([]);
      });

      it('names parameter prefixes that each match a shipped parameter', () => {
        expect(program.parameters.length).toBeGreaterThan(0);
        for (const prefix of program.parameters) expect(PARAMETER_NAMES.some((name) => name.startsWith(prefix)), prefix).toBe(true);
      });
    });
  }

  it('lists every measure parameter under some program', () => {
    const orphans = PARAMETER_NAMES.filter(
      (name) => !SHARED_PARAMETERS.some((s) => name.startsWith(s)) && !Object.values(PROGRAMS).some((p) => p.parameters.some((prefix) => name.startsWith(prefix))),
    );
    expect(orphans).toEqual([]);
  });
});

describe('policy parameters', () => {
  it('each has a unit, a Chinese description and, where it has a law, a sentence of that article', () => {
    for (const name of PARAMETER_NAMES) {
      const declaration: ParameterDeclaration = PARAMETERS[name];
      expect(declaration.unit, name).toBeTruthy();
      expect(declaration.description, name).toMatch(/\p{Script=Han}/u);
      if (!declaration.law) continue;
      expect(source, name).toContain(squeeze(declaration.law.quote));
      const article = /第(\d+)条$/.exec(declaration.law.citation)?.[1];
      if (article) {
        const provision = provisions.find((p) => p.article === Number(article));
        expect(provision, `${name}: 第${article}条 is quoted by a program`).toBeDefined();
        expect(squeeze(provision!.text), name).toContain(squeeze(declaration.law.quote));
      }
    }
  });

  it('every figure the text fixes cites its article and quotes it', () => {
    for (const name of PARAMETER_NAMES) {
      const declaration: ParameterDeclaration = PARAMETERS[name];
      const source = declaration.values[0]!.source;
      if (source === 'default') continue;
      expect(declaration.law?.citation, name).toBe(source);
    }
  });

  it('refuses unknown names at compile time and at run time', () => {
    // @ts-expect-error: not a parameter name
    expect(() => valueOn(DEFAULT_PARAMETERS, 'm3.ratio', '2025-01-01')).toThrow(/Unknown policy parameter/);
    expect(valueOn(DEFAULT_PARAMETERS, 'm3.rate', '2025-01-01').value).toBe('0.5');
  });
});
