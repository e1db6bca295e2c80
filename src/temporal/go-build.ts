// Builds a Go program from its module into Steward's per-machine cache (the Temporal CLI, the Temporal server and
// its schema tool). The build goes to a private folder and is renamed into place, so an interrupted build never
// leaves a half-written binary; a lock folder lets concurrent starts wait for one build.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class GoBuildFailed extends Error {
  override name = 'GoBuildFailed';
}

/** Steward's cache on this machine, shared by every checkout. */
export function stewardCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.STEWARD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'steward');
}

export interface GoBuild {
  go: string;
  /** `<module path>/cmd/...@<version>`. */
  module: string;
  /** The name `go install` gives the binary (the last path element of the command). */
  binary: string;
  target: string;
  label: string;
  progress: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export async function buildGoBinary(build: GoBuild): Promise<void> {
  const { target, progress } = build;
  const folder = join(target, '..');
  mkdirSync(folder, { recursive: true });
  const lock = `${target}.lock`;
  if (!tryLock(lock)) {
    progress(`Another process is building ${build.label}; waiting for ${target}`);
    while (!executable(target)) {
      if (!existsSync(lock)) return buildGoBinary(build);
      await sleep(2_000);
    }
    return;
  }
  const scratch = join(folder, `build-${process.pid}-${build.binary}`);
  try {
    progress(`Building ${build.label} from its Go module (once per machine, a few minutes)...`);
    const started = Date.now();
    const ticker = setInterval(() => progress(`  still building ${build.label} (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
    try {
      await run(build.go, ['install', '-trimpath', build.module], { ...build.env, GOBIN: scratch, GOFLAGS: '-mod=mod' }, progress);
    } finally {
      clearInterval(ticker);
    }
    renameSync(join(scratch, build.binary), target);
    progress(`${build.label} built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${target}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs a command to its end, passing its output to `progress`; the last lines go into the error when it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
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
    child.on('close', (code) => (code === 0 ? resolve(output.join('\n')) : reject(new GoBuildFailed(`"${command} ${args.join(' ')}" failed (exit ${code}):\n${output.slice(-20).join('\n')}`))));
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

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
