import { z } from 'zod';
import { PLATFORM_KINDS } from '../functions/domain/programs/platform-award.js';
import { IsoDate, Identifier, Money, ResidentId, Text, Ulid, Uscc } from './common.js';
import { DOC_TYPES } from '../functions/domain/documents.js';
import { normaliseId } from '../functions/domain/identifiers.js';
import type { ProgramId } from '../functions/domain/vocabulary.js';

const platformKinds = Object.keys(PLATFORM_KINDS) as [string, ...string[]];

const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 YYYY-MM' });
/** A list of distinct months: a month can be claimed once per application. */
const Months = z
  .array(YearMonth)
  .min(1, { error: '至少填写一个月份' })
  .max(60, { error: '一次最多申请 60 个月' })
  .refine((months) => new Set(months).size === months.length, { error: '月份不能重复' });

/** The person a talent application is about. The ID number is validated here and never stored. */
export const Person = z
  .strictObject({
    idNumber: ResidentId,
    name: Text(50),
    degree: z.enum(['phd', 'master', 'bachelor']),
    hiredOn: IsoDate,
    contractYears: z.int().min(0).max(50),
    socialInsuranceMonths: z.int().min(0).max(600),
    fullTime: z.boolean(),
    // An enum, not a literal: the console renders a one-value literal as a constant, not a choice.
    title: z.enum(['senior']).optional().meta({ description: '高级专业技术职称' }),
    leftOn: IsoDate.optional().meta({ description: 'the day the person left this employer' }),
  })
  .superRefine((person, ctx) => {
    if (person.leftOn && person.leftOn < person.hiredOn) ctx.addIssue({ code: 'custom', path: ['leftOn'], message: '离职日期不能早于入职日期' });
  })
  .meta({ id: 'Person' });

/** An applicant-supplied id that becomes part of a key must keep something after normalisation. */
// Written as the applicant has it (full-width, spaces, punctuation): the key uses the normalised form.
const KeyId = Text(64).refine((value) => normaliseId(value) !== '', { error: '编号须包含字母或数字' });

/** 第3条 */
export const StartupCapitalDetails = z.strictObject({ paidInCapital: Money, selectedOn: IsoDate }).meta({ id: 'StartupCapitalDetails' });

/** 第4–6条: platforms, R&D institutions, incubators and maker spaces. */
export const PlatformAwardDetails = z
  .strictObject({
    platformId: Identifier,
    platformName: Text(200)
      .refine((value) => normaliseId(value) !== '', { error: '平台名称须包含文字或数字' })
      .meta({ description: 'the official name: the platform is identified by it (normalised)' }),
    approvalDocNo: Text(100).optional().meta({ description: '批准文号 of the approval or recognition' }),
    kind: z.enum(platformKinds),
    approvedOn: IsoDate,
    provincialAmount: Money.optional(),
    assessmentYear: z.int().min(2000).max(2100).optional(),
    resultOn: IsoDate.optional().meta({ description: 'date of the provincial evaluation / assessment result' }),
  })
  .superRefine((details, ctx) => {
    if (PLATFORM_KINDS[details.kind]?.perAssessmentYear) {
      if (details.resultOn === undefined)
        ctx.addIssue({ code: 'custom', path: ['resultOn'], message: '按省级考核(评价)奖励配套的，须填写省级结果日期' });
      if (details.provincialAmount === undefined)
        ctx.addIssue({ code: 'custom', path: ['provincialAmount'], message: '按省级考核(评价)奖励配套的，须填写省级金额' });
      if (details.assessmentYear === undefined)
        ctx.addIssue({ code: 'custom', path: ['assessmentYear'], message: '按省级考核(评价)奖励配套的，须填写考核年度' });
    }
  })
  .meta({ id: 'PlatformAwardDetails' });

/** 第8条 */
export const TechTransactionDetails = z
  .strictObject({
    year: z.int().min(2024).max(2100),
    contracts: z
      .array(
        z.strictObject({
          contractNo: Identifier,
          registrationNo: KeyId.meta({ description: '技术合同登记编号: the contract is identified by it' }),
          mode: z.enum(['commissioned-development', 'transfer', 'exclusive-license', 'equity']),
          amount: Money,
          counterparty: Text(200),
          signedOn: IsoDate,
        }),
      )
      .min(1, { error: '至少填写一份合同' })
      .max(200, { error: '一次最多申报 200 份合同' })
      .refine((contracts) => new Set(contracts.map((c) => c.contractNo)).size === contracts.length, { error: '合同编号不能重复' })
      .refine((contracts) => new Set(contracts.map((c) => normaliseId(c.registrationNo))).size === contracts.length, { error: '合同登记编号不能重复' }),
  })
  .meta({ id: 'TechTransactionDetails' });

/** 第9条 */
export const CompetitionAwardDetails = z
  .strictObject({
    projectId: KeyId,
    projectName: Text(200),
    level: z.enum(['national', 'shanxi']),
    rank: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    provincialAwardAmount: Money.optional(),
    awardedOn: IsoDate,
  })
  .superRefine((details, ctx) => {
    if (details.level === 'national' && details.provincialAwardAmount === undefined)
      ctx.addIssue({ code: 'custom', path: ['provincialAwardAmount'], message: '国赛获奖须填写省级奖励金额（1:1 配套）' });
    if (details.level === 'shanxi' && details.rank === undefined)
      ctx.addIssue({ code: 'custom', path: ['rank'], message: '山西赛区获奖须填写名次（1、2、3）' });
  })
  .meta({ id: 'CompetitionAwardDetails' });

/** 第10条 */
export const FirstOfKindDetails = z
  .strictObject({
    agreementNo: KeyId,
    agreementSignedOn: IsoDate,
    productName: Text(200),
    buyer: Text(200),
    dealAmount: Money,
    provincialStandardAmount: Money,
  })
  .meta({ id: 'FirstOfKindDetails' });

/** 第11条 */
export const TalentIntroductionDetails = z
  .strictObject({ person: Person, tier: z.enum(['A', 'B', 'C', 'D', 'E']), mode: z.enum(['full-time', 'flexible']) })
  .meta({ id: 'TalentIntroductionDetails' });

/** 第11条 (monthly) */
export const TalentFlexibleMonthlyDetails = z
  .strictObject({ person: Person, tier: z.enum(['A', 'B', 'C', 'D', 'E']), months: Months, monthlyAmount: Money })
  .meta({ id: 'TalentFlexibleMonthlyDetails' });

/** 第12条 */
export const EntrepreneurshipDetails = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('team-match'), teamId: KeyId, awardAmount: Money, recognizedOn: IsoDate }),
    z.strictObject({ kind: z.literal('high-degree-project'), person: Person }),
    z.strictObject({
      kind: z.literal('graduate-startup'),
      stage: z.enum(['subsidy', 'funding', 'key-support']),
      founder: z.strictObject({ name: Text(50), degree: z.enum(['phd', 'master', 'bachelor', 'associate']), graduatedOn: IsoDate }),
      foundedOn: IsoDate,
    }),
  ])
  .meta({ id: 'EntrepreneurshipDetails' });

/** 第13条 */
export const TalentLivingAllowanceDetails = z.strictObject({ person: Person, months: Months }).meta({ id: 'TalentLivingAllowanceDetails' });

/** 第14条: a purchase subsidy or a rent subsidy (tier A applies to purchase only). */
export const TalentHousingDetails = z
  .strictObject({
    person: Person,
    tier: z.literal('A').optional(),
    subsidy: z.discriminatedUnion(
      'type',
      [
        z.strictObject({ type: z.literal('purchase'), purchaseContractDate: IsoDate, purchaseContractNo: Identifier }),
        z.strictObject({ type: z.literal('rent'), months: Months, monthlyRent: Money }),
      ],
      { error: '补贴类型应为购房补贴或租房补贴' },
    ),
  })
  .superRefine((details, ctx) => {
    if (details.tier && details.subsidy.type === 'rent') ctx.addIssue({ code: 'custom', path: ['tier'], message: '租房补贴不分类别' });
  })
  .meta({ id: 'TalentHousingDetails' });

const application = <P extends ProgramId, D extends z.ZodType>(programId: P, details: D) =>
  z.strictObject({ programId: z.literal(programId), details });

const PROGRAM_OPTIONS = [
      application('startup-capital', StartupCapitalDetails),
      application('platform-award', PlatformAwardDetails),
      application('tech-transaction', TechTransactionDetails),
      application('competition-award', CompetitionAwardDetails),
      application('first-of-kind', FirstOfKindDetails),
      application('talent-introduction', TalentIntroductionDetails),
      application('talent-flexible-monthly', TalentFlexibleMonthlyDetails),
      application('entrepreneurship', EntrepreneurshipDetails),
      application('talent-living-allowance', TalentLivingAllowanceDetails),
      application('talent-housing', TalentHousingDetails),
] as const;

// Every program id has its details schema: a program missing here does not compile.
type ProgramsWithoutSchema = Exclude<ProgramId, (typeof PROGRAM_OPTIONS)[number]['shape']['programId']['value']>;
const everyProgramHasASchema: [ProgramsWithoutSchema] extends [never] ? true : ProgramsWithoutSchema = true;
void everyProgramHasASchema;

/** `{programId, details}`: the program selects the schema of its details. */
export const ProgramApplication = z
  .discriminatedUnion('programId', PROGRAM_OPTIONS, { error: '未知的 programId' })
  .meta({ id: 'ProgramApplication' });

/** A quote request: the same, and for staff the enterprise to quote for. */
export const QuoteRequest = z
  .discriminatedUnion(
    'programId',
    PROGRAM_OPTIONS.map((option) => option.extend({ uscc: Uscc.optional() })) as unknown as typeof PROGRAM_OPTIONS,
    { error: '未知的 programId' },
  )
  .meta({ id: 'QuoteRequest' });
export type QuoteRequest = z.infer<typeof ProgramApplication> & { uscc?: string };
export type ProgramApplication = z.infer<typeof ProgramApplication>;


// ---- supporting documents (申报材料) on submission ----------------------------------------------
const SubmittedDocuments = {
  documents: z
    .array(z.strictObject({ docType: z.enum(DOC_TYPES), documentId: Ulid }))
    .max(50)
    .refine((docs) => new Set(docs.map((d) => d.docType)).size === docs.length, { error: '每类材料只能提交一份' })
    .optional()
    .meta({ description: 'one CLEAN document of the caller per docType of the program\'s checklist' }),
  promises: z
    .array(z.enum(DOC_TYPES))
    .max(20)
    .refine((types) => new Set(types).size === types.length, { error: '承诺事项不能重复' })
    .optional()
    .meta({ description: '告知承诺: docTypes replaced by a written promise, where the checklist allows it' }),
};

/** POST /applications: the program's details with its documents and promises. */
export const ApplicationSubmission = z
  .discriminatedUnion(
    'programId',
    PROGRAM_OPTIONS.map((option) => option.extend(SubmittedDocuments)) as unknown as typeof PROGRAM_OPTIONS,
    { error: '未知的 programId' },
  )
  .meta({ id: 'ApplicationSubmission' });
export type ApplicationSubmission = ProgramApplication & { documents?: { docType: string; documentId: string }[]; promises?: string[] };
