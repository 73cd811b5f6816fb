import { ENDPOINTS } from '../../schemas/api.js';
import { toQuote } from '../domain/assessment.js';
import { withoutPersonKeys } from './views.js';
import { chinaDate } from '../domain/dates.js';
import { valueOn } from '../domain/parameters.js';
import { protectDetails } from '../domain/personal-data.js';
import { PROGRAMS } from '../domain/programs/index.js';
import { checklistOf } from '../domain/documents.js';
import { PROGRAM_IDS, type ProgramId } from '../domain/vocabulary.js';
import { config } from '../config.js';
import { invalid } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { assessNow } from '../services/assessor.js';
import { budgetUses } from '../store/budget.js';
import { loadParameters } from '../store/parameters.js';

/** The parameter names each program's measures read (by prefix), plus the ones every program reads. */
const SHARED_PARAMETERS = ['policy.', 'review.', 'documents.'];
const PARAMETER_PREFIXES = {
  'startup-capital': ['m3.'],
  'platform-award': ['m4.', 'm5.', 'm6.', 'm5-m6.'],
  'tech-transaction': ['m8.'],
  'competition-award': ['m9.'],
  'first-of-kind': ['m10.'],
  'talent-introduction': ['m11.', 'talent.'],
  'talent-flexible-monthly': ['m11.monthly', 'talent.'],
  entrepreneurship: ['m12.'],
  'talent-living-allowance': ['m13.', 'talent.'],
  'talent-housing': ['m14.', 'talent.'],
} satisfies Record<ProgramId, readonly string[]>;

export const handler = apiHandler([
  route(ENDPOINTS.listPrograms, async ({ principal }) => {
    const table = await loadParameters();
    const today = chinaDate(new Date());
    // Staff see this year's money against each program's budget; enterprises do not.
    const budgets = principal.role === 'enterprise' ? [] : await budgetUses([...PROGRAM_IDS], Number(today.slice(0, 4)), table);
    const items = PROGRAM_IDS.map((id) => {
      const program = PROGRAMS[id];
      const prefixes = [...PARAMETER_PREFIXES[id], ...SHARED_PARAMETERS];
      const parameters = Object.keys(table)
        .filter((name) => prefixes.some((prefix) => name.startsWith(prefix)))
        .map((name) => ({ name, ...valueOn(table, name, today) }));
      const budget = budgets.find((b) => b.programId === program.id);
      return { programId: program.id, title: program.title, measures: program.measures, department: program.department, parameters, documents: checklistOf(id), ...(budget ? { budget } : {}) };
    });
    return { status: 200, body: { items } };
  }),

  route(ENDPOINTS.createQuote, async ({ principal, body }) => {
    // An enterprise quotes for itself; staff name the enterprise.
    const uscc = principal.role === 'enterprise' ? principal.uscc : (body as { uscc?: string }).uscc;
    if (!uscc) throw invalid('uscc', '为企业试算时须填写 uscc');
    const details = protectDetails(body.details, await config.personKeySecret());
    const assessment = await assessNow({ programId: body.programId, details, uscc, submittedOn: chinaDate(new Date()) });
    return { status: 200, body: withoutPersonKeys(toQuote(assessment)) };
  }),
]);
