import { describe, expect, it } from 'vitest';
import { isValidUscc, maskResidentId, residentIdProblem } from '../../functions/domain/identity.js';
import { residentId, uscc } from '../support/fixtures.js';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts a code whose check character matches', () => {
    expect(isValidUscc(uscc(1))).toBe(true);
    expect(isValidUscc('91350100M000100Y43')).toBe(true); // a published example
  });
  it('refuses a wrong check character, a forbidden letter, and a wrong length', () => {
    const good = uscc(1);
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(isValidUscc(wrong)).toBe(false);
    expect(isValidUscc(`${good.slice(0, 5)}I${good.slice(6)}`)).toBe(false);
    expect(isValidUscc(good.slice(0, 17))).toBe(false);
  });
});

describe('居民身份证号码 (GB 11643-1999)', () => {
  it('accepts a number with a real birth date and the right check digit', () => {
    expect(residentIdProblem(residentId())).toBeUndefined();
    expect(residentIdProblem('11010519491231002X')).toBeUndefined(); // the standard's example
  });
  it('names what is wrong', () => {
    const good = residentId();
    expect(residentIdProblem(`${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`)).toBe('check-digit');
    expect(residentIdProblem(residentId('14050219900230123'))).toBe('birth-date');
    expect(residentIdProblem(residentId('14050220990101123'))).toBe('birth-date');
    expect(residentIdProblem('1405021990030712')).toBe('format');
  });
  it('masks all but the region and the last four characters', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
  });
});
