import { platformAward } from './platform-award.js';
import type { Program } from './program.js';

/** Every paid program by its `programId`. */
export const PROGRAMS = {
  'platform-award': platformAward,
} satisfies Record<string, Program<never>>;

export type ProgramId = keyof typeof PROGRAMS;

export function programOf(programId: string): Program<unknown> {
  const program = (PROGRAMS as Record<string, Program<never>>)[programId];
  if (!program) throw new Error(`Unknown program ${programId}`);
  return program as Program<unknown>;
}
