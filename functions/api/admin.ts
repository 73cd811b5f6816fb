import { ENDPOINTS } from '../../schemas/api.js';
import { benefitKey } from '../domain/benefit-ledger.js';
import { maskResidentId } from '../domain/identity.js';
import { personKeyOf } from '../domain/personal-data.js';
import { config } from '../config.js';
import { conflict, invalid, notFound } from '../http/errors.js';
import { parameterValueProblem } from '../domain/parameter-defaults.js';
import { grantSubjectId } from '../domain/identifiers.js';
import { apiHandler, route } from '../http/route.js';
import { maskAccount, withoutPersonKeys } from './views.js';
import { failedWorkflows, redriveWorkflow } from '../services/workflow.js';
import { listCreditRestrictions, putCreditRestriction } from '../store/credit.js';
import { importGrant } from '../store/ledger.js';
import { putParameterOverride } from '../store/parameters.js';
import { getRegistryEntry, listRegistry, putRegistryEntry } from '../store/registry.js';

/** Administration: the park roster, policy parameters, the ledger of prior grants, the credit list. */
export const handler = apiHandler([
  route(ENDPOINTS.listRegistry, async ({ query }) => ({ status: 200, body: await listRegistry(query.limit, query.nextToken) })),

  route(ENDPOINTS.listCreditRestrictions, async ({ query }) => {
    const page = await listCreditRestrictions(query.limit, query.nextToken);
    // People are shown by their masked ID number only; the stored person key never leaves the table.
    const items = page.items.map(({ subjectType, subjectLabel, listedOn, liftedOn, validUntil, reason, lifted, updatedAt, updatedBy }) => ({
      subjectType,
      subject: subjectLabel,
      listedOn,
      ...(liftedOn ? { liftedOn } : {}),
      ...(validUntil ? { validUntil } : {}),
      reason,
      lifted,
      updatedAt,
      updatedBy,
    }));
    return { status: 200, body: { items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) } };
  }),

  route(ENDPOINTS.getRegistryEntry, async ({ principal, params }) => {
    // Another enterprise's entry is not found, never forbidden.
    const entry = principal.role === 'enterprise' && principal.uscc !== params.uscc ? undefined : await getRegistryEntry(params.uscc);
    if (!entry) throw notFound('入驻主体');
    const bankAccount = principal.role === 'admin' ? entry.bankAccount : { ...entry.bankAccount, number: maskAccount(entry.bankAccount.number) };
    return { status: 200, body: { ...entry, bankAccount } };
  }),

  route(ENDPOINTS.putRegistryEntry, async ({ params, body }) => {
    const entry = { uscc: params.uscc, ...body, updatedAt: new Date().toISOString() };
    await putRegistryEntry(entry);
    return { status: 200, body: entry };
  }),

  route(ENDPOINTS.putParameter, async ({ principal, params, body }) => {
    const problem = parameterValueProblem(params.name, body.value);
    if (problem) throw invalid('value', problem);
    const value = { name: params.name, from: body.from, value: body.value, source: `set by ${principal.sub}: ${body.reason}` };
    await putParameterOverride({ ...value, reason: body.reason, setBy: principal.sub, setAt: new Date().toISOString() });
    return { status: 200, body: value };
  }),

  route(ENDPOINTS.importGrants, async ({ principal, body }) => {
    const secret = await config.personKeySecret();
    const items = [];
    for (const grant of body.grants) {
      // A person's grants are keyed by the person key: the ID number itself is never stored.
      const subjectId = grant.subjectType === 'person' ? personKeyOf(grant.subjectId, secret) : grantSubjectId(grant.subjectType, grant.subjectId, grant.uscc);
      const key = benefitKey(grant.subjectType, subjectId, grant.category, grant.period);
      const status = await importGrant({
        benefitKey: key,
        grantId: grant.grantId,
        amount: grant.amount,
        policy: grant.policy,
        grantedOn: grant.grantedOn,
        level: grant.level,
        ...(grant.uscc ? { uscc: grant.uscc } : {}),
        importedBy: principal.sub,
      });
      // The answer names the key as the views do: a person key never leaves the system, not even to admins.
      items.push({ grantId: grant.grantId, benefitKey: withoutPersonKeys(key) as string, status });
    }
    return { status: 200, body: { items } };
  }),

  route(ENDPOINTS.listWorkflowFailures, async ({ query }) => ({ status: 200, body: await failedWorkflows(query.limit, query.nextToken) })),

  route(ENDPOINTS.redriveWorkflow, async ({ params }) => {
    try {
      await redriveWorkflow(params.id);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ExecutionDoesNotExist') throw notFound('流程');
      if (name === 'ExecutionNotRedrivable') throw conflict('该流程没有失败，无需重新驱动');
      throw error;
    }
    return { status: 202, body: { applicationId: params.id, status: 'REDRIVEN' } };
  }),

  route(ENDPOINTS.putCreditRestrictions, async ({ principal, body }) => {
    const secret = await config.personKeySecret();
    const items = [];
    for (const entry of body.entries) {
      const person = entry.subjectType === 'person';
      const subjectLabel = person ? maskResidentId(entry.subjectId) : entry.subjectId;
      await putCreditRestriction({
        subjectType: entry.subjectType,
        subjectId: person ? personKeyOf(entry.subjectId, secret) : entry.subjectId,
        subjectLabel,
        listedOn: entry.listedOn,
        ...(entry.liftedOn ? { liftedOn: entry.liftedOn } : {}),
        ...(entry.validUntil ? { validUntil: entry.validUntil } : {}),
        reason: entry.reason,
        lifted: entry.lifted ?? false,
        updatedAt: new Date().toISOString(),
        updatedBy: principal.sub,
      });
      items.push({ subjectType: entry.subjectType, subject: subjectLabel, lifted: entry.lifted ?? false });
    }
    return { status: 200, body: { items } };
  }),
]);
