import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PROJECT_ROOT } from './paths.js';

const CACHE = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'jcg-local-lambdas');
const WORKER_ENTRY = 'infra/local/lambda-worker.ts';

export interface Bundles {
  /** The bundled module of each function entry (file URL). */
  moduleUrl(entry: string): string;
  /** The sandbox runtime, bundled with them. */
  workerUrl: URL;
  remove(): void;
}

/** A bundle directory is current while none of the files it was built from changed since. */
function current(dir: string): boolean {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(dir, 'inputs.json'), 'utf8')) as { builtAt: number; inputs: string[] };
    return inputs.every((input) => statSync(path.join(PROJECT_ROOT, input)).mtimeMs < builtAt);
  } catch {
    return false;
  }
}

/**
 * Bundles the functions as CDK's NodejsFunction does for the deployment (esbuild, ESM, node24,
 * `@aws-sdk/*` left to the runtime), so that a sandbox loads one file, as Lambda does, and not the
 * TypeScript sources module by module. Bundles live under node_modules/.cache (where the SDK resolves)
 * and are reused by the next start until a source changes.
 */
// An alias: a bundled module may import createRequire itself (file-type's dependencies do).
const BANNER = "import { createRequire as __bannerCreateRequire } from 'module'; const require = __bannerCreateRequire(import.meta.url);";

export async function bundleFunctions(entries: readonly string[]): Promise<Bundles> {
  const all = [...new Set([...entries, WORKER_ENTRY])].sort();
  const dir = path.join(CACHE, createHash('sha256').update([...all, BANNER].join('\n')).digest('hex').slice(0, 16));
  let outdir = dir;
  let own = false;
  if (!current(dir)) {
    mkdirSync(CACHE, { recursive: true });
    outdir = mkdtempSync(path.join(CACHE, 'build-'));
    const builtAt = Date.now();
    const { metafile } = await build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: all,
      outdir,
      outbase: PROJECT_ROOT,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      sourcemap: true,
      metafile: true,
      banner: { js: BANNER },
      logLevel: 'error',
    });
    writeFileSync(path.join(outdir, 'inputs.json'), JSON.stringify({ builtAt, inputs: Object.keys(metafile.inputs) }));
    // Publish it for later starts; when another stack got there first, keep using this private copy.
    try {
      rmSync(dir, { recursive: true, force: true });
      renameSync(outdir, dir);
      outdir = dir;
    } catch {
      own = true;
    }
  }
  const url = (entry: string) => pathToFileURL(path.join(outdir, entry.replace(/\.ts$/, '.mjs')));
  return {
    moduleUrl: (entry) => url(entry).href,
    workerUrl: url(WORKER_ENTRY),
    remove: () => {
      if (own) rmSync(outdir, { recursive: true, force: true });
    },
  };
}
