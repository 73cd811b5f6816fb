import { residentIdCheckCharacter, usccCheckCharacter } from '../../functions/domain/identity.js';

/** A valid USCC whose 17-character body ends in `n` (test enterprises differ by n). */
export function uscc(n: number): string {
  const body = `91140500MA0K${String(n).padStart(5, '0')}`;
  return body + usccCheckCharacter(body);
}

export function residentId(body17 = '14050219900307123'): string {
  return body17 + residentIdCheckCharacter(body17);
}

export const registryEntry = (name = '晋城示例科技有限公司') => ({
  name,
  joinedOn: '2025-01-10',
  bankAccount: { name, bank: '中国银行晋城分行', number: '6216600000001234567' },
});

export const platformAward = (platformId: string, kind = 'provincial-key-lab', approvedOn = '2025-06-01') => ({
  programId: 'platform-award',
  details: { platformId, platformName: `平台 ${platformId}`, kind, approvedOn },
});
