import { ENDPOINTS } from '../../schemas/api.js';
import { toQuote } from '../domain/assessment.js';
import { withoutPersonKeys } from './views.js';
import { chinaDate } from '../domain/dates.js';
import { valueOn } from '../domain/parameters.js';
import { PARAMETERS, PARAMETER_NAMES, type ParameterDeclaration } from '../domain/parameter-defaults.js';
import { protectDetails } from '../domain/personal-data.js';
import { PROGRAMS, SHARED_PARAMETERS, measuresOf } from '../domain/programs/index.js';
import { PROGRAM_IDS } from '../domain/vocabulary.js';
import { config } from '../config.js';
import { invalid } from '../http/errors.js';
import { apiHandler, route } from '../http/route.js';
import { assessNow } from '../services/assessor.js';
import { budgetUses } from '../store/budget.js';
import { loadParameters } from '../store/parameters.js';

export const handler = apiHandler([
  route(ENDPOINTS.listPrograms, async ({ principal }) => {
    const table = await loadParameters();
    const today = chinaDate(new Date());
    // Staff see this year's money against each program's budget; enterprises do not.
    const budgets = principal.role === 'enterprise' ? [] : await budgetUses([...PROGRAM_IDS], Number(today.slice(0, 4)), table);
    const items = PROGRAM_IDS.map((id) => {
      const program = PROGRAMS[id];
      const prefixes = [...program.parameters, ...SHARED_PARAMETERS];
      const parameters = PARAMETER_NAMES.filter((name) => prefixes.some((prefix) => name.startsWith(prefix))).map((name) => {
        const { unit, description, law } = PARAMETERS[name] as ParameterDeclaration;
        return { name, ...valueOn(table, name, today), unit, description, ...(law ? { law } : {}) };
      });
      const budget = budgets.find((b) => b.programId === program.id);
      return { programId: program.id, title: program.title, measures: measuresOf(program), provisions: program.law, department: program.department, parameters, documents: program.documents, ...(budget ? { budget } : {}) };
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
