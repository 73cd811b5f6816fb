import { z } from 'zod';
import { PLATFORM_KINDS } from '../functions/domain/programs/platform-award.js';
import { IsoDate, Identifier, Money, Text } from './common.js';

const platformKinds = Object.keys(PLATFORM_KINDS) as [string, ...string[]];

/** 第4–6条: platforms, R&D institutions, incubators and maker spaces. */
export const PlatformAwardDetails = z
  .strictObject({
    platformId: Identifier,
    platformName: Text(200),
    kind: z.enum(platformKinds),
    approvedOn: IsoDate,
    provincialAmount: Money.optional(),
    assessmentYear: z.int().min(2000).max(2100).optional(),
  })
  .superRefine((details, ctx) => {
    if (PLATFORM_KINDS[details.kind]?.perAssessmentYear) {
      if (details.provincialAmount === undefined)
        ctx.addIssue({ code: 'custom', path: ['provincialAmount'], message: '按省级考核(评价)奖励配套的，须填写省级金额' });
      if (details.assessmentYear === undefined)
        ctx.addIssue({ code: 'custom', path: ['assessmentYear'], message: '按省级考核(评价)奖励配套的，须填写考核年度' });
    }
  })
  .meta({ id: 'PlatformAwardDetails' });

/** `{programId, details}`: the program selects the schema of its details. */
export const ProgramApplication = z
  .discriminatedUnion(
    'programId',
    [z.strictObject({ programId: z.literal('platform-award'), details: PlatformAwardDetails })],
    { error: '未知的 programId' },
  )
  .meta({ id: 'ProgramApplication' });
export type ProgramApplication = z.infer<typeof ProgramApplication>;

export const PROGRAM_IDS = ['platform-award'] as const;
