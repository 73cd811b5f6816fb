import { type Yuan, yuan } from './money.js';
import type { ParameterName } from './parameter-defaults.js';
import type { ProgramId } from './vocabulary.js';

/**
 * Policy parameters with effective dates, in the manner of OpenFisca's dated parameter files: each
 * parameter is a list of values, each in force from a date, with its source (the measure that fixes it,
 * or "default" where the text leaves the figure to the administration). Shipped defaults, with unit,
 * description and the sentence of the law, live in `parameter-defaults.ts`; administrators add dated
 * values on top.
 */
export interface DatedValue {
  /** First day (YYYY-MM-DD) on which this value is in force. */
  from: string;
  /** Money and rates as decimal strings, dates as YYYY-MM-DD. */
  value: string;
  /** "晋市政办〔2024〕39号 第4条" where the text fixes it, otherwise "default" or who set it. */
  source: string;
}

export type ParameterTable = Readonly<Record<string, readonly DatedValue[]>>;

/** A program's annual budget, set by administrators (no shipped default). */
export type BudgetParameter = `budget.${ProgramId}`;

/** The names code may read: a misspelt or unknown name does not compile. */
export type KnownParameter = ParameterName | BudgetParameter;

export interface ParameterUsed extends DatedValue {
  name: string;
}

/** The value of every parameter in force on one date, remembering which ones were read. */
export class ParametersInForce {
  readonly #table: ParameterTable;
  readonly #used = new Map<ParameterName, ParameterUsed>();

  constructor(
    table: ParameterTable,
    readonly on: string,
  ) {
    this.#table = table;
  }

  get(name: ParameterName): string {
    const value = valueOn(this.#table, name, this.on);
    this.#used.set(name, { name, ...value });
    return value.value;
  }

  money(name: ParameterName): Yuan {
    return yuan(this.get(name));
  }

  rate(name: ParameterName): Yuan {
    return yuan(this.get(name));
  }

  /** The parameters read so far, for the assessment record. */
  used(): ParameterUsed[] {
    return [...this.#used.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** The value in force on `date`: the latest `from` not after it (the earliest value if none is). */
export function valueOn(table: ParameterTable, name: KnownParameter, date: string): DatedValue {
  const values = table[name];
  if (!values || values.length === 0) throw new Error(`Unknown policy parameter ${name}`);
  const sorted = [...values].sort((a, b) => a.from.localeCompare(b.from));
  let current = sorted[0]!;
  for (const value of sorted) if (value.from <= date) current = value;
  return current;
}

/** Merges administrators' dated values over the shipped defaults. */
export function withOverrides(table: ParameterTable, overrides: readonly ParameterUsed[]): ParameterTable {
  const merged: Record<string, DatedValue[]> = {};
  for (const [name, values] of Object.entries(table)) merged[name] = [...values];
  for (const { name, ...value } of overrides) {
    const values = (merged[name] ??= []).filter((v) => v.from !== value.from);
    merged[name] = [...values, value];
  }
  return merged;
}
