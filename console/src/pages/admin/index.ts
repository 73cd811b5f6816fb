export { Credit } from './credit';
export { LedgerImport } from './ledger-import';
export { Parameters } from './parameters';
export { Roster } from './roster';
export { WorkflowFailures } from './workflow-failures';
