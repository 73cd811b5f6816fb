import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

/**
 * Bundles the functions as CDK's NodejsFunction does for the deployment (esbuild, ESM, node24,
 * `@aws-sdk/*` left to the runtime), so that a sandbox loads one file, as Lambda does, and not the
 * TypeScript sources module by module. The bundles stay under node_modules/.cache, where the SDK
 * resolves; a stack with a data folder reuses its own directory, others get a fresh one.
 */
export async function bundleFunctions(entries: readonly string[], dataDir?: string): Promise<Bundles> {
  mkdirSync(CACHE, { recursive: true });
  const outdir = dataDir ? path.join(CACHE, createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)) : mkdtempSync(path.join(CACHE, 'stack-'));
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [...new Set([...entries, WORKER_ENTRY])],
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
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'error',
  });
  const url = (entry: string) => pathToFileURL(path.join(outdir, entry.replace(/\.ts$/, '.mjs')));
  return {
    moduleUrl: (entry) => url(entry).href,
    workerUrl: url(WORKER_ENTRY),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
