// Finds the Temporal CLI, whose `server start-dev` is Steward's embedded Temporal server. Resolution order:
// TEMPORAL_CLI_PATH, `temporal` on PATH, the per-machine cached build, a fresh build from the Go module
// (cached for every later run), and finally the SDK's own download on machines with internet access.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { buildGoBinary, GoBuildFailed, stewardCacheDir } from './go-build.js';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;

export type TemporalCli = { kind: 'binary'; path: string; source: string } | { kind: 'sdk-download' };

export interface ResolveOptions {
  /** An explicit binary (TEMPORAL_CLI_PATH). */
  explicitPath?: string;
  /** Build from the Go module when nothing else is found (default true). */
  allowBuild?: boolean;
  /** Fall back to the SDK's download (needs internet) when no build is possible (default true). */
  allowDownload?: boolean;
  progress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export class TemporalCliNotFound extends Error {
  constructor(detail: string) {
    super(
      `Temporal CLI not found: ${detail}\n` +
        `Install one of: the Temporal CLI ("temporal" on PATH, or TEMPORAL_CLI_PATH=/path/to/temporal); ` +
        `Go 1.25 or newer, so Steward can build ${TEMPORAL_CLI_MODULE} once and cache it; ` +
        `or set TEMPORAL_ADDRESS to use a Temporal server that is already running.`,
    );
    this.name = 'TemporalCliNotFound';
  }
}

/** Where the built CLI is cached on this machine, shared by every checkout. */
export function cachedCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stewardCacheDir(env), 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
}

export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<TemporalCli> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  if (options.explicitPath) {
    if (!isExecutable(options.explicitPath)) {
      throw new TemporalCliNotFound(`TEMPORAL_CLI_PATH=${options.explicitPath} is not an executable file.`);
    }
    return { kind: 'binary', path: options.explicitPath, source: 'TEMPORAL_CLI_PATH' };
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return { kind: 'binary', path: onPath, source: 'PATH' };

  const cached = cachedCliPath(env);
  if (isExecutable(cached)) return { kind: 'binary', path: cached, source: 'cache' };

  const go = findOnPath('go', env);
  if (go && options.allowBuild !== false) {
    await buildCli(go, cached, progress, env);
    return { kind: 'binary', path: cached, source: 'built' };
  }
  if (options.allowDownload !== false) return { kind: 'sdk-download' };
  throw new TemporalCliNotFound(go ? 'building is disabled here.' : 'no binary, and no Go toolchain to build one.');
}

/** Builds the CLI into the cache (see go-build.ts: built aside, renamed into place, one build at a time). */
async function buildCli(go: string, target: string, progress: (line: string) => void, env: NodeJS.ProcessEnv) {
  try {
    await buildGoBinary({ go, module: TEMPORAL_CLI_MODULE, binary: 'temporal', target, label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`, progress, env });
  } catch (error) {
    if (error instanceof GoBuildFailed) throw new TemporalCliNotFound(error.message);
    throw error;
  }
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
