// Workflow code runs in the worker's deterministic sandbox from one webpack bundle. `npm run build` writes it
// once (dist/workflows.bundle.js), so a worker starts without webpack; run from source, it is built in memory.
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';

/** Next to the compiled worker: dist/workflows.bundle.js. */
const prebuiltBundle = fileURLToPath(new URL('../workflows.bundle.js', import.meta.url));

/** The workflows entry point: the compiled file in dist/, or the TypeScript source when run from source. */
function workflowsPath(): string {
  const compiled = fileURLToPath(new URL('../workflows/index.js', import.meta.url));
  return existsSync(compiled) ? compiled : fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
}

/**
 * The trace-context interceptors are always in the bundle, tracing on or off: what a workflow replays must not
 * depend on a deploy's configuration (workflows/shared/trace-context.ts says why they are not the SDK's).
 */
const workflowInterceptorModules = [interceptorModule('../workflows/shared/trace-context')];

/** The compiled module next to the compiled worker, or the TypeScript source when run from source. */
function interceptorModule(path: string): string {
  const compiled = fileURLToPath(new URL(`${path}.js`, import.meta.url));
  return existsSync(compiled) ? compiled : fileURLToPath(new URL(`${path}.ts`, import.meta.url));
}

let bundle: Promise<WorkflowBundleOption> | undefined;

export function workflowBundle(): Promise<WorkflowBundleOption> {
  bundle ??= existsSync(prebuiltBundle)
    ? Promise.resolve({ codePath: prebuiltBundle })
    : bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules, logger: quietBundlerLogger });
  return bundle;
}

/** `node dist/worker/bundle.js`: the build step that writes the prebuilt bundle. */
export async function writeWorkflowBundle(): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules, logger: quietBundlerLogger });
  writeFileSync(prebuiltBundle, code);
  return prebuiltBundle;
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Wrote ${await writeWorkflowBundle()}`);
}
