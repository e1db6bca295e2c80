// Finds the Temporal CLI, whose `server start-dev` is Steward's embedded Temporal server. Resolution order:
// TEMPORAL_CLI_PATH, `temporal` on PATH, the per-machine cached build, a fresh build from the Go module
// (cached for every later run), and finally the SDK's own download on machines with internet access.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

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
  const cacheRoot = env.STEWARD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'steward');
  return join(cacheRoot, 'temporal-cli', TEMPORAL_CLI_VERSION, 'temporal');
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

/**
 * Builds the CLI into the cache. The build goes to a private folder first and is renamed into place, so an
 * interrupted build never leaves a half-written binary; a lock lets concurrent starts wait for one build.
 */
async function buildCli(go: string, target: string, progress: (line: string) => void, env: NodeJS.ProcessEnv) {
  const folder = join(target, '..');
  mkdirSync(folder, { recursive: true });
  const lock = join(folder, 'build.lock');
  if (!tryLock(lock)) {
    progress(`Another process is building the Temporal CLI; waiting for ${target}`);
    while (!isExecutable(target)) {
      if (!existsSync(lock)) return buildCli(go, target, progress, env);
      await sleep(2_000);
    }
    return;
  }
  const scratch = join(folder, `build-${process.pid}`);
  try {
    progress(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} from its Go module (once per machine, a few minutes)...`);
    const started = Date.now();
    const ticker = setInterval(
      () => progress(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`),
      15_000,
    );
    try {
      await run(go, ['install', '-trimpath', TEMPORAL_CLI_MODULE], { ...env, GOBIN: scratch, GOFLAGS: '-mod=mod' }, progress);
    } finally {
      clearInterval(ticker);
    }
    renameSync(join(scratch, 'temporal'), target);
    progress(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${target}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        progress(`  ${line}`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new TemporalCliNotFound(`"go ${args.join(' ')}" failed (exit ${code}):\n${output.slice(-20).join('\n')}`)),
    );
  });
}

/** A lock is a folder: mkdir is atomic. A lock older than 30 minutes belongs to a build that died. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    if (Date.now() - statSync(lock).mtimeMs > 30 * 60_000) {
      rmSync(lock, { recursive: true, force: true });
      return tryLock(lock);
    }
    return false;
  }
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
