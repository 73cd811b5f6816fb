import type { GrantLevel } from './benefit-ledger.js';
import { normaliseId, scopedId } from './identifiers.js';
import { POLICY_DOCUMENT, POLICY_LEVEL } from './policy.js';

/**
 * Moving ledger keys written before the second round to the keys POLICY.md §5.10 defines: platforms by
 * their normalised official name, contracts by their normalised registration number, agreements,
 * projects and teams by enterprise and normalised id. Pure: the store script reads and writes.
 */

/** What the operator supplies where the old data cannot tell (imported grants): `type:oldId` → new id. */
export interface KeyMapping {
  /** `platform:LAB-1` → official name; `contract:T-1` → registration number; `project:P-1` → enterprise USCC. */
  readonly [typeAndOldId: string]: string;
}

export type KeyOutcome =
  | { status: 'unchanged'; key: string }
  | { status: 'moved'; key: string; from: string; how: 'from-application' | 'from-mapping' | 'normalised-only' }
  | { status: 'unresolved'; from: string; why: string };

interface Origin {
  /** The enterprise the grant was made to (from its application, when this system made it). */
  uscc?: string;
  /** The application's details, when this system made the grant. */
  details?: Record<string, unknown>;
}

/** The key a grant recorded under `oldKey` belongs under now. Keys already migrated come back unchanged. */
export function migrateKey(oldKey: string, origin: Origin, mapping: KeyMapping = {}): KeyOutcome {
  const [type, id, ...rest] = oldKey.split(':') as [string, string, ...string[]];
  const rebuild = (newId: string, how: 'from-application' | 'from-mapping' | 'normalised-only'): KeyOutcome => {
    const key = [type, newId, ...rest].join(':');
    return key === oldKey ? { status: 'unchanged', key } : { status: 'moved', key, from: oldKey, how };
  };
  const mapped = mapping[`${type}:${id}`];
  switch (type) {
    case 'enterprise':
    case 'person':
      return { status: 'unchanged', key: oldKey };
    case 'platform': {
      const name = origin.details?.platformName;
      if (typeof name === 'string' && origin.details?.platformId === id) return rebuild(normaliseId(name), 'from-application');
      if (mapped) return rebuild(normaliseId(mapped), 'from-mapping');
      // Either already a normalised name, or an old id nobody mapped: fold its spelling at least.
      return rebuild(normaliseId(id), 'normalised-only');
    }
    case 'contract': {
      const contracts = (origin.details?.contracts as { contractNo?: string; registrationNo?: string }[] | undefined) ?? [];
      const registrationNo = contracts.find((c) => c.contractNo === id)?.registrationNo;
      if (registrationNo) return rebuild(normaliseId(registrationNo), 'from-application');
      if (mapped) return rebuild(normaliseId(mapped), 'from-mapping');
      if (id === normaliseId(id)) return { status: 'unchanged', key: oldKey };
      return { status: 'unresolved', from: oldKey, why: '合同编号无对应的技术合同登记编号：请在映射文件中给出 contract,<旧编号>,<登记编号>' };
    }
    case 'agreement':
    case 'project':
    case 'team': {
      if (/^[0-9A-Z]{18}\./.test(id)) return { status: 'unchanged', key: oldKey };
      const uscc = origin.uscc ?? mapped;
      if (!uscc) return { status: 'unresolved', from: oldKey, why: `${type} 编号只在企业内唯一：请在映射文件中给出 ${type},<旧编号>,<统一社会信用代码>` };
      return rebuild(scopedId(uscc, id), origin.uscc ? 'from-application' : 'from-mapping');
    }
    default:
      return { status: 'unresolved', from: oldKey, why: `未知的主体类型 ${type}` };
  }
}

/**
 * The level of a grant recorded before levels existed. Grants of this policy are municipal. Imported
 * ones default to municipal too — the safe side: a municipal grant reduces awards, so a wrong guess can
 * only pay less, never twice — unless the operator names their policy's level (`--level 政策名=provincial`).
 */
export function defaultLevel(grant: { policy: string; level?: GrantLevel }, byPolicy: Readonly<Record<string, GrantLevel>> = {}): GrantLevel {
  if (grant.level) return grant.level;
  if (grant.policy === POLICY_DOCUMENT) return POLICY_LEVEL;
  return byPolicy[grant.policy] ?? POLICY_LEVEL;
}

/** Parses the operator's mapping file: CSV lines `type,oldId,newId` (a header line and blank lines are skipped). */
export function parseMapping(csv: string): KeyMapping {
  const mapping: Record<string, string> = {};
  for (const line of csv.split(/\r?\n/)) {
    const [type, oldId, newId] = line.split(',').map((cell) => cell.trim());
    if (!type || !oldId || !newId || type === 'type') continue;
    mapping[`${type}:${oldId}`] = newId;
  }
  return mapping;
}
