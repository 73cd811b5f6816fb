import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where `npm start` keeps its data (tables, keys, the workflow journal). */
export const DEFAULT_DATA_DIR = path.join(PROJECT_ROOT, '.data');
