/**
 * Identity numbers: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).
 * A number that fails these checks is an input error, not an ineligibility.
 */

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: 18 characters from a 31-character set, the last one a MOD 31 check character. */
export function isValidUscc(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(value[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return value[17] === USCC_CHARSET[check];
}

/** The check character that completes a 17-character USCC body (for fixtures and tools). */
export function usccCheckCharacter(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(body17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of a resident ID number. */
export function residentIdCheckCharacter(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export type ResidentIdProblem = 'format' | 'birth-date' | 'check-digit';

/** GB 11643-1999: 17 digits, a real birth date (not in the future), and the MOD 11-2 check character. */
export function residentIdProblem(value: string, today: Date = new Date()): ResidentIdProblem | undefined {
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  const real =
    year >= 1900 && birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!real || birth.getTime() > today.getTime()) return 'birth-date';
  if (residentIdCheckCharacter(value.slice(0, 17)) !== value[17]) return 'check-digit';
  return undefined;
}

/** Shows the region code and the last four characters only: 140502********123X. */
export function maskResidentId(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(-4)}`;
}
