import { describe, expect, it } from 'vitest';
import { creditApplies } from '../../functions/domain/credit.js';
import { duplicateWarnings, nameSimilarity, subjectMarks } from '../../functions/domain/duplicates.js';
import { normaliseId, scopedId } from '../../functions/domain/identifiers.js';
import { yuan } from '../../functions/domain/money.js';
import { DEFAULT_PARAMETERS, parameterValueProblem } from '../../functions/domain/parameter-defaults.js';
import { decisionProblem, leadershipRequired } from '../../functions/domain/review.js';
import { uscc } from '../support/fixtures.js';

describe('one normaliser for every applicant-supplied id (§5.10)', () => {
  it('folds the five spellings of one platform id that were paid five times', () => {
    expect(new Set(['VAR-1', 'var-1', 'ＶＡＲ-１', 'VAR-1.', 'VAR-1/'].map(normaliseId))).toEqual(new Set(['var1']));
  });
  it('keeps letters of any script and digits, drops spaces and punctuation of any width', () => {
    expect(normaliseId(' 先进材料（省）重点实验室。 ')).toBe('先进材料省重点实验室');
    expect(normaliseId('２０２５ １４０５—０００１')).toBe('202514050001');
  });
  it('scopes a private id by its enterprise, so two enterprises never collide', () => {
    expect(scopedId(uscc(1), 'HT-001')).not.toBe(scopedId(uscc(2), 'HT-001'));
    expect(scopedId(uscc(1), 'ht 001')).toBe(scopedId(uscc(1), 'HT-001'));
  });
});

describe('credit listings have dates (§5.8)', () => {
  it('applies from listedOn, not before', () => {
    expect(creditApplies({ listedOn: '2025-06-01' }, '2025-05-31')).toBe(false);
    expect(creditApplies({ listedOn: '2025-06-01' }, '2025-06-01')).toBe(true);
  });
  it('ends on liftedOn and after validUntil', () => {
    expect(creditApplies({ listedOn: '2025-06-01', liftedOn: '2025-07-01' }, '2025-06-30')).toBe(true);
    expect(creditApplies({ listedOn: '2025-06-01', liftedOn: '2025-07-01' }, '2025-07-01')).toBe(false);
    expect(creditApplies({ listedOn: '2025-06-01', validUntil: '2025-07-01' }, '2025-07-01')).toBe(true);
    expect(creditApplies({ listedOn: '2025-06-01', validUntil: '2025-07-01' }, '2025-07-02')).toBe(false);
  });
  it('an undated lift (entries from before liftedOn existed) ends it at once', () => {
    expect(creditApplies({ listedOn: '2025-06-01', lifted: true }, '2025-06-02')).toBe(false);
  });
});

describe('parameters stay inside the text (§5.9)', () => {
  it('refuses every [text] figure', () => {
    const fixed = Object.entries(DEFAULT_PARAMETERS).filter(([, values]) => values[0]!.source !== 'default');
    expect(fixed.length).toBeGreaterThan(20);
    for (const [name, values] of fixed) expect(parameterValueProblem(name, values[0]!.value)).toMatch(/不能修改/);
  });
  it('accepts every shipped [default] value, so the defaults themselves are inside the bounds', () => {
    for (const [name, values] of Object.entries(DEFAULT_PARAMETERS).filter(([, v]) => v[0]!.source === 'default')) {
      expect(parameterValueProblem(name, values[0]!.value), name).toBeUndefined();
    }
  });
  it.each([
    ['m11.tier-a.amount', '200000.01', '200000'],
    ['m12.master-project.amount', '299999.99', '300000'],
    ['m12.phd-project.amount', '500000.01', '500000'],
    ['m13.bachelor.monthly', '999', '1000'],
    ['m13.phd.monthly', '5001', '5000'],
    ['m14.purchase.tier-a', '350001', '350000'],
    ['m14.purchase.bachelor', '49999', '50000'],
    ['talent.claim-window-months', '61', '60'],
    ['review.leadership-threshold', '0', '0.01'],
  ])('%s = %s is refused naming the bound %s', (name, value, bound) => {
    expect(parameterValueProblem(name, value)).toContain(bound);
  });
  it('review days are free but above 0 (§5.9)', () => {
    expect(parameterValueProblem('review.dept-review.days', '0')).toMatch(/须大于 0/);
    expect(parameterValueProblem('review.dept-review.days', '0.5')).toBeUndefined();
    expect(parameterValueProblem('review.dept-review.days', '30')).toBeUndefined();
  });
  it('refuses a value not in the parameter’s unit: a date for money, a fraction for a count', () => {
    expect(parameterValueProblem('m13.phd.monthly', '2025-01-01')).toMatch(/金额/);
    expect(parameterValueProblem('m12.graduate.founded-within-years', '1.5')).toMatch(/整数/);
    expect(parameterValueProblem('budget.startup-capital', '2025-01-01')).toMatch(/金额/);
    expect(parameterValueProblem('budget.startup-capital', '1000000')).toBeUndefined();
  });
});

describe('amount rules of the review (§5.10)', () => {
  const base = { decision: 'approve' as const, taskAmount: '500000.00' };
  it('only the department stage may lower an amount', () => {
    expect(decisionProblem({ ...base, stage: 'PARK_PRELIM', approvedAmount: '499999.99' })?.path).toBe('approvedAmount');
    expect(decisionProblem({ ...base, stage: 'LEADERSHIP', approvedAmount: '1.00' })?.path).toBe('approvedAmount');
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '499999.99', comment: '合同金额核减' })).toBeUndefined();
    expect(decisionProblem({ ...base, stage: 'PARK_PRELIM', approvedAmount: '500000.00' })).toBeUndefined();
  });
  it('an approval of 0 is refused with a pointer to reject', () => {
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '0' })?.message).toMatch(/不予通过/);
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '0.00', comment: '不符合' })?.path).toBe('approvedAmount');
  });
  it('a lower amount (核减) needs a comment, which the enterprise is shown', () => {
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '450000.00' })).toMatchObject({ path: 'comment', message: expect.stringContaining('核减') });
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '450000.00', comment: '  ' })?.path).toBe('comment');
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '450000.00', comment: '部分合同不属技术开发' })).toBeUndefined();
    // The full amount is no 核减: no comment needed.
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '500000.00' })).toBeUndefined();
  });
  it('never above the amount under review', () => {
    expect(decisionProblem({ ...base, stage: 'DEPT_REVIEW', approvedAmount: '500000.01' })?.path).toBe('approvedAmount');
  });
  it('approving past a duplicate warning needs a comment; rejecting does not change', () => {
    const warned = { ...base, stage: 'DEPT_REVIEW' as const, duplicateWarnings: [{ applicationId: 'x', similarity: 1, reason: 'r' }] };
    expect(decisionProblem(warned)?.path).toBe('comment');
    expect(decisionProblem({ ...warned, comment: '  ' })?.path).toBe('comment');
    expect(decisionProblem({ ...warned, comment: '已核实为不同平台' })).toBeUndefined();
  });
  it('leadership sign-off looks at the assessed amount as well as the decided one', () => {
    const threshold = yuan(500000);
    expect(leadershipRequired('500000.00', '499999.99', threshold)).toBe(true);
    expect(leadershipRequired('499999.99', '499999.99', threshold)).toBe(false);
    expect(leadershipRequired(undefined, '500000.00', threshold)).toBe(true);
  });
});

describe('duplicate warnings (§5.11)', () => {
  const platform = (name: string, doc?: string) => subjectMarks('platform-award', { platformName: name, ...(doc ? { approvalDocNo: doc } : {}) });
  it('same normalised name: similarity 1', () => {
    const [w] = duplicateWarnings(platform('先进材料省重点实验室'), [{ applicationId: 'A', programId: 'platform-award', marks: platform('先进材料 省重点实验室。') }]);
    expect(w).toMatchObject({ applicationId: 'A', similarity: 1 });
  });
  it('names at least 80 % similar are warned, less similar ones are not', () => {
    expect(nameSimilarity(normaliseId('晋城先进材料省重点实验室'), normaliseId('晋城先进材料省级重点实验室'))).toBeGreaterThanOrEqual(0.8);
    const others = [
      { applicationId: 'close', programId: 'platform-award', marks: platform('晋城先进材料省级重点实验室') },
      { applicationId: 'far', programId: 'platform-award', marks: platform('太行煤化工中试基地') },
    ];
    expect(duplicateWarnings(platform('晋城先进材料省重点实验室'), others).map((w) => w.applicationId)).toEqual(['close']);
  });
  it('same registration number across enterprises and programs', () => {
    const mine = subjectMarks('tech-transaction', { contracts: [{ registrationNo: '2025-1405-0001' }] });
    const theirs = subjectMarks('tech-transaction', { contracts: [{ registrationNo: '２０２５14050001' }] });
    expect(duplicateWarnings(mine, [{ applicationId: 'B', programId: 'tech-transaction', marks: theirs }])).toEqual([
      { applicationId: 'B', similarity: 1, reason: expect.stringContaining('编号相同') },
    ]);
  });
  it('talent programs carry no marks: people are one key already', () => {
    expect(subjectMarks('talent-living-allowance', { person: { name: '张三' } })).toEqual({ names: [], numbers: [] });
  });
});

describe('numbered names are distinct things', () => {
  it('names that differ only in their numbers are not similar', () => {
    expect(nameSimilarity(normaliseId('平台 LAB-R1'), normaliseId('平台 LAB-R2'))).toBe(0);
    expect(nameSimilarity(normaliseId('平台 LAB-R1'), normaliseId('平台 LAB-R1'))).toBe(1);
  });
});
