import { describe, expect, it } from 'vitest';
import { decodeText, headerKey, valueKey } from '../../console/src/imports.js';
import { parseYuan } from '../../console/src/money.js';
import { explainPriorGrant } from '../../functions/domain/assessment.js';
import { budgetUse } from '../../functions/domain/batch.js';
import { yuan } from '../../functions/domain/money.js';

describe('imports saved by Excel', () => {
  const chinese = '晋城市其他科技政策';
  // The same text as Excel on Chinese Windows saves it (GBK; Python's 'gbk' codec).
  const gbk = Buffer.from('bdfab3c7cad0c6e4cbfbbfc6bcbcd5feb2df', 'hex');

  it('reads UTF-8 with or without a BOM, and GBK as GB18030', () => {
    expect(decodeText(Buffer.from(`\ufeff${chinese}`))).toEqual({ text: chinese, encoding: 'UTF-8' });
    expect(decodeText(Buffer.from(chinese))).toEqual({ text: chinese, encoding: 'UTF-8' });
    const line = Buffer.concat([Buffer.from('G-1,'), gbk, Buffer.from(',2025-06-30\n'), Buffer.from('G-2,'), gbk, Buffer.from(',2025-06-30\n')]);
    expect(decodeText(line)).toEqual({ text: `G-1,${chinese},2025-06-30\nG-2,${chinese},2025-06-30\n`, encoding: 'GB18030' });
  });

  it('refuses an encoding it cannot read, saying what to do', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`grantId,policy\nG-1,${chinese}\n`, 'utf16le')]);
    expect(() => decodeText(utf16)).toThrow(/CSV UTF-8/);
  });

  it('matches headers by key, by "中文(key)" and by the Chinese label alone', () => {
    const labels = { amount: '金额', policy: '政策名称' };
    expect(headerKey('amount', labels)).toBe('amount');
    expect(headerKey(' 金额(amount) ', labels)).toBe('amount');
    expect(headerKey('金额（amount）', labels)).toBe('amount');
    expect(headerKey('政策名称', labels)).toBe('policy');
    expect(headerKey('备注', labels)).toBe('备注');
    expect(valueKey('市级', ['national', 'municipal'], { municipal: '市级' })).toBe('municipal');
    expect(valueKey('municipal', ['national', 'municipal'], { municipal: '市级' })).toBe('municipal');
  });
});

describe('amounts as people type them', () => {
  it('takes separators, ¥, 元 and 万; refuses the rest without rounding', () => {
    expect(parseYuan('1,234.50')).toBe('1234.50');
    expect(parseYuan('1，234.5元')).toBe('1234.50');
    expect(parseYuan('¥500000')).toBe('500000.00');
    expect(parseYuan('200万')).toBe('2000000.00');
    expect(parseYuan('1.5 万元')).toBe('15000.00');
    expect(parseYuan('0.0000001万')).toBeUndefined();
    expect(parseYuan('1.234')).toBeUndefined();
    expect(parseYuan('十万')).toBeUndefined();
    expect(parseYuan('-5')).toBeUndefined();
  });
});

describe('a prior grant in words (就高不重复)', () => {
  it('names the subject, the policy and the amount, never the ledger key', () => {
    expect(explainPriorGrant('contract:HT2025001:tech-transaction', '20000.00', '晋城市其他科技政策')).toBe('该技术合同已由“晋城市其他科技政策”支持 2万元，按就高不重复，本项不再重复支持这部分');
    expect(explainPriorGrant('person:*:housing-rent:2025-04', '1234.50', '晋城市人才政策')).toBe('该人员（2025-04）已由“晋城市人才政策”支持 1,234.50元，按就高不重复，本项不再重复支持这部分');
  });
});

describe('budget figures, defined once', () => {
  it('committed is approved + batched + paid; remaining is the budget less committed', () => {
    const use = budgetUse({ programId: 'talent-housing', year: 2026, budget: '400000.00', approved: yuan('363600.00'), batched: yuan('0'), paid: yuan('50000.00') });
    expect(use).toEqual({ programId: 'talent-housing', year: 2026, budget: '400000.00', approved: '363600.00', batched: '0.00', paid: '50000.00', committed: '413600.00', remaining: '-13600.00' });
    expect(budgetUse({ programId: 'talent-housing', year: 2026, approved: yuan('1'), batched: yuan('2'), paid: yuan('3') })).not.toHaveProperty('remaining');
  });
});
