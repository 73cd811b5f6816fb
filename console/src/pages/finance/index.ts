export { Awards } from './awards';
export { BatchList } from './batch-list';
export { BatchPage } from './batch-page';
export { BudgetChart } from './budget';
