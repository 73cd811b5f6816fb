import { parseArgs } from 'node:util';
import path from 'node:path';
import { requireNodeMajor } from '../runtime.js';
import { loadOrCreateKeys, signToken } from './jwt.js';
import { DEFAULT_DATA_DIR } from './paths.js';

/** `npm run token -- --role … [--uscc …] [--dept …] [--sub …]`: prints one signed JWT and nothing else. */
requireNodeMajor();
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    uscc: { type: 'string' },
    dept: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: String(8 * 3600) },
  },
});
if (!values.role) {
  process.stderr.write('usage: npm run token -- --role enterprise|reviewer|finance|admin [--uscc USCC] [--dept park|kejiju|renshe|leadership] [--sub ID]\n');
  process.exit(2);
}
const keys = await loadOrCreateKeys(path.join(process.env.DATA_DIR ?? DEFAULT_DATA_DIR, 'keys'));
const token = await signToken(
  keys,
  {
    sub: values.sub ?? `${values.role}-${values.uscc ?? values.dept ?? 'local'}`,
    role: values.role,
    ...(values.uscc ? { uscc: values.uscc } : {}),
    ...(values.dept ? { dept: values.dept } : {}),
  },
  Number(values.ttl),
);
process.stdout.write(`${token}\n`);
