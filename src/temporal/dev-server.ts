// Runs `temporal server start-dev` as a child process: a real Temporal server with SQLite persistence and the
// Web UI. Used by `npm start` when no TEMPORAL_ADDRESS is configured, and by the test suite.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { CLI_TYPE_NAMES, stewardSearchAttributes } from '../../workflows/shared/search-attributes.js';
import { portIsFree } from '../net.js';
import type { TemporalCli } from './cli.js';
import { untilServing } from './serving.js';

export interface DevServerOptions {
  cli: TemporalCli;
  port: number;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  namespace: string;
  /** SQLite file; its folder is created. The server's state survives restarts through it. */
  dbFile: string;
  /** `durable` syncs SQLite normally (npm start); `fast` skips fsync (tests, as the SDK's own CI does). */
  durability: 'durable' | 'fast';
  readyTimeoutMs?: number;
  /**
   * Run in a process group of its own, so Ctrl-C in a terminal reaches Steward first and the worker drains before
   * the server stops (npm start). Tests leave it in theirs, so a killed test run takes its server with it.
   */
  ownProcessGroup?: boolean;
  onOutput?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** The server's process id (undefined when the SDK manages it). */
  pid?: number;
  /** Stops the server gracefully; kills it if it does not exit within a few seconds. */
  stop(): Promise<void>;
  /** Ends the server at once (SIGKILL), as a crash would. For failure tests. */
  kill(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const pragmas = options.durability === 'durable' ? ['journal_mode=WAL', 'synchronous=NORMAL'] : ['journal_mode=WAL', 'synchronous=OFF'];
  const serverArgs = [...pragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]), ...dynamicConfigArgs()];
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined;

  if (options.cli.kind === 'sdk-download') {
    const environment = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: '127.0.0.1',
        port: options.port,
        ui: options.uiPort !== undefined,
        uiPort: options.uiPort,
        namespace: options.namespace,
        dbFilename: options.dbFile,
        searchAttributes: stewardSearchAttributes,
        extraArgs: serverArgs,
      },
    });
    const stop = () => environment.teardown();
    return { address, uiUrl, stop, kill: stop };
  }

  await claimPorts(options);
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--namespace', options.namespace,
    '--db-filename', options.dbFile,
    '--log-format', 'json',
    '--log-level', 'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...serverArgs,
    ...stewardSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]),
  ];
  const child = spawnTiedToUs(options.cli.path, args, options.ownProcessGroup ?? false);
  const pidFile = pidFileOf(options.dbFile);
  if (child.pid) writeFileSync(pidFile, String(child.pid));
  const recentOutput: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      recentOutput.push(line);
      if (recentOutput.length > 50) recentOutput.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rmSync(pidFile, { force: true });
      resolve(code);
    }),
  );

  try {
    await waitUntilServing(address, options.namespace, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start: ${(error as Error).message}\n${recentOutput.join('\n')}`);
  }
  return {
    address,
    uiUrl,
    pid: child.pid,
    stop: () => stopChild(child, exited, 'SIGTERM'),
    kill: () => stopChild(child, exited, 'SIGKILL'),
  };
}

function waitUntilServing(address: string, namespace: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  return untilServing(address, exited, timeoutMs, async (connection) => {
    await connection.workflowService.describeNamespace({ namespace });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, signal: NodeJS.Signals) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timeout = sleep(10_000).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Linux's setpriv, which can ask the kernel to kill the server when the process that started it dies. */
/**
 * The dynamic config the dev server runs with: deploy/temporal/dynamicconfig.yaml's settings that matter without
 * PostgreSQL (a unit test keeps the two in step). Eager activity execution hands a worker the activities it schedules
 * in the reply to its workflow task, one round trip through the task queue fewer per activity.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, boolean | number> = {
  'system.enableActivityEagerExecution': true,
};

function dynamicConfigArgs(): string[] {
  return Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The server dies with the Steward process that started it, even when that process is SIGKILLed (an OOM kill, a
 * crash): on Linux through the kernel's parent-death signal; elsewhere the next start cleans up (claimPorts).
 */
function spawnTiedToUs(path: string, args: string[], ownProcessGroup: boolean): ChildProcess {
  const tied = process.platform === 'linux' && existsSync(SETPRIV);
  const [command, commandArgs] = tied ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', path, ...args]] : [path, args];
  return spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], detached: ownProcessGroup });
}

/** Beside the SQLite file: which server process serves it now. */
function pidFileOf(dbFile: string): string {
  return `${dbFile}.server-pid`;
}

/**
 * The ports must be free before the server starts, or a readiness check could reach another process. A server
 * left over from a crashed Steward on the same data is ended; anything else on the port is the operator's to move.
 */
async function claimPorts(options: DevServerOptions): Promise<void> {
  const ports = [options.port, ...(options.uiPort ? [options.uiPort] : [])];
  if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return;
  const leftover = leftoverServer(options.dbFile);
  if (leftover !== undefined) {
    process.kill(leftover, 'SIGKILL');
    for (let waited = 0; waited < 10_000; waited += 100) {
      if ((await Promise.all(ports.map(portIsFree))).every(Boolean)) return;
      await sleep(100);
    }
  }
  const taken = [];
  for (const port of ports) if (!(await portIsFree(port))) taken.push(port);
  throw new Error(
    `Port ${taken.join(' and ')} on 127.0.0.1 is taken by another program, so the Temporal dev server cannot start. ` +
      'Stop that program, or choose other ports with TEMPORAL_DEV_PORT and TEMPORAL_UI_PORT.',
  );
}

/** The pid of a server still running on this SQLite file after its Steward died, if there is one. */
function leftoverServer(dbFile: string): number | undefined {
  const pidFile = pidFileOf(dbFile);
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    // Only a process whose command line names this very database is ours to end.
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes(dbFile) ? pid : undefined;
  } catch {
    rmSync(pidFile, { force: true });
    return undefined;
  }
}
