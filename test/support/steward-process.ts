// Runs the real entry point (dist/src/main.js) as a child process, as an operator would, so tests can kill it
// with SIGKILL mid-flow and watch its JSON log lines.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role } from '../../src/config/index.js';

/** The compiled entry point, whether this helper runs from source (tests) or from dist/ (benchmarks). */
const entryPoint = fileURLToPath(
  new URL(import.meta.url.includes('/dist/test/') ? '../../src/main.js' : '../../dist/src/main.js', import.meta.url),
);

/**
 * The Node options Steward is launched with, wherever it is launched (package.json's scripts, the Dockerfile, which
 * compose runs too; test/unit/launch-options.test.ts keeps them in step): a 4 MB cap on V8's young generation, which
 * otherwise keeps 100+ MB of pages between scavenges. An idle worker holds 258 MB instead of 335 MB, with the record
 * review benchmark as fast (bench/results/worker-memory.json, record-review.json).
 */
export const STEWARD_NODE_OPTIONS = '--max-semi-space-size=4';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface StewardProcess {
  child: ChildProcessWithoutNullStreams;
  logs: LogLine[];
  /** Resolves with the first log line (past or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Everything the process wrote to stderr, for failure messages. */
  stderr(): string;
}

export function spawnSteward(role: Role, env: Record<string, string>): StewardProcess {
  if (!existsSync(entryPoint)) throw new Error(`${entryPoint} is missing: run "npm run build" first (npm test does).`);
  const child = spawn(process.execPath, [entryPoint, role], {
    // A caller's NODE_OPTIONS come after Steward's, so a benchmark can compare other V8 flags (the last one wins).
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env, NODE_OPTIONS: `${STEWARD_NODE_OPTIONS} ${env.NODE_OPTIONS ?? ''}`.trim() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<(line: LogLine) => void>();
  let stderr = '';
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const text of lines.filter(Boolean)) {
      const line = parseLine(text);
      logs.push(line);
      for (const waiter of waiters) waiter(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );

  return {
    child,
    logs,
    exited,
    stderr: () => stderr,
    waitForLog(match, timeoutMs = 30_000) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`No matching log line within ${timeoutMs} ms. stderr:\n${stderr}\nlast lines:\n${logs.slice(-10).map((l) => JSON.stringify(l)).join('\n')}`));
        }, timeoutMs);
        const check = (line: LogLine) => {
          if (!match(line)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(line);
        };
        waiters.add(check);
        void exited.then(() => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`The process exited before logging the expected line. stderr:\n${stderr}`));
        });
      });
    },
  };
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { level: 'raw', msg: text };
  }
}

/** Polls until `probe` returns a value, or fails after the timeout. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}
