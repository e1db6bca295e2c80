// The production topology on one machine: the full Temporal server (not the dev server) with PostgreSQL
// persistence and 4 history shards, built from its Go module once per machine (like the CLI) together with its
// schema tool. Starting it creates the two databases, sets up and updates their schemas from the module's own
// files (every step idempotent), writes a server config on free ports, starts the server, and registers the
// namespace and Steward's search attributes. docker-compose.yml runs the same version, shards and dynamic config.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { stewardSearchAttributes } from '../../workflows/shared/search-attributes.js';
import { portIsFree } from '../net.js';
import { findOnPath, isExecutable } from './cli.js';
import { buildGoBinary, run, stewardCacheDir } from './go-build.js';
import { untilServing } from './serving.js';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const CLUSTER_HISTORY_SHARDS = 4;
const SERVER_MODULE = `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`;
/** deploy/temporal/dynamicconfig.yaml, found upwards from here (from src/ or from dist/src/). */
export function dynamicConfigFile(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); folder !== dirname(folder); folder = dirname(folder)) {
    const candidate = join(folder, 'deploy', 'temporal', 'dynamicconfig.yaml');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('deploy/temporal/dynamicconfig.yaml is missing');
}

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** The module's source in Go's module cache: its schema files. */
  moduleDir: string;
}

/** Finds or builds the server and its schema tool (cached per machine). */
export async function ensureTemporalServer({ progress = () => {}, env = process.env }: { progress?: (line: string) => void; env?: NodeJS.ProcessEnv } = {}): Promise<TemporalServerBinaries> {
  const folder = join(stewardCacheDir(env), 'temporal-server', TEMPORAL_SERVER_VERSION);
  const server = join(folder, 'temporal-server');
  const sqlTool = join(folder, 'temporal-sql-tool');
  const go = findOnPath('go', env);
  if (!go) throw new Error(`The Temporal server is built from ${SERVER_MODULE} with Go, which is not on PATH.`);
  if (!isExecutable(server)) await buildGoBinary({ go, module: `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, binary: 'server', target: server, label: `the Temporal server ${TEMPORAL_SERVER_VERSION}`, progress, env });
  if (!isExecutable(sqlTool)) await buildGoBinary({ go, module: `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`, binary: 'sql', target: sqlTool, label: `the Temporal schema tool ${TEMPORAL_SERVER_VERSION}`, progress, env });
  const download = JSON.parse(await run(go, ['mod', 'download', '-json', SERVER_MODULE], { ...env, GOFLAGS: '-mod=mod' }, () => {})) as { Dir: string };
  return { server, sqlTool, moduleDir: download.Dir };
}

export interface ClusterOptions {
  /** Where the config and the server's log go. */
  folder: string;
  /** The two databases are `<prefix>temporal` and `<prefix>temporal_visibility`. */
  databasePrefix: string;
  postgres?: { host: string; port: number; user: string; password?: string };
  namespace?: string;
  /** The frontend's gRPC port (free one when omitted). */
  port?: number;
  progress?: (line: string) => void;
  readyTimeoutMs?: number;
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  databases: string[];
  pid: number | undefined;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  /** Starts the server again on the same config and databases (after stop or kill). */
  restart(): Promise<void>;
}

export async function startTemporalCluster(options: ClusterOptions): Promise<TemporalCluster> {
  const progress = options.progress ?? (() => {});
  const binaries = await ensureTemporalServer({ progress });
  const postgres = options.postgres ?? { host: '127.0.0.1', port: 5432, user: 'postgres' };
  const namespace = options.namespace ?? 'default';
  const databases = [`${options.databasePrefix}temporal`, `${options.databasePrefix}temporal_visibility`];
  await setUpSchemas(binaries, postgres, databases, progress);

  const port = () => freeSmallPort();
  const ports = { frontend: options.port ?? (await port()), http: await port(), history: await port(), matching: await port(), worker: await port() };
  const membership = { frontend: await port(), history: await port(), matching: await port(), worker: await port() };
  const configFolder = join(options.folder, 'config');
  mkdirSync(join(configFolder, 'dynamicconfig'), { recursive: true });
  writeFileSync(join(configFolder, 'dynamicconfig', 'steward.yaml'), readFileSync(dynamicConfigFile()));
  writeFileSync(join(configFolder, 'development.yaml'), serverConfig({ postgres, databases, ports, membership, pprofPort: await port(), metricsPort: await port() }));
  const address = `127.0.0.1:${ports.frontend}`;

  let child: ChildProcess;
  let exited: Promise<number | null>;
  const start = async () => {
    child = spawn(binaries.server, ['--root', options.folder, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], { cwd: options.folder, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const log = join(options.folder, 'server.log');
    const recent: string[] = [];
    const collect = (chunk: Buffer) => {
      writeFileSync(log, chunk, { flag: 'a' });
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        recent.push(line);
        if (recent.length > 30) recent.shift();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await registerWhenServing(address, namespace, exited, options.readyTimeoutMs ?? 120_000);
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`The Temporal server did not start: ${(error as Error).message}\n${recent.slice(-15).join('\n')}`);
    }
    progress(`Temporal server ${TEMPORAL_SERVER_VERSION} serving on ${address} (PostgreSQL, ${CLUSTER_HISTORY_SHARDS} history shards)`);
  };
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, signal);
    const timeout = sleep(15_000).then(() => 'timeout' as const);
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
  };
  await start();
  return {
    address,
    namespace,
    databases,
    get pid() {
      return child.pid;
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    restart: start,
  };
}

/**
 * A free loopback port below 32768: the server keeps its members' ports in a PostgreSQL smallint, which the
 * operating system's ephemeral ports (from 32768) overflow.
 */
async function freeSmallPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    if (!claimedPorts.has(candidate) && (await portIsFree(candidate))) {
      claimedPorts.add(candidate);
      return candidate;
    }
  }
  throw new Error('No free port between 20000 and 32000 on 127.0.0.1');
}
const claimedPorts = new Set<number>();

/** Creates the databases when missing and brings their schemas to the module's latest version (idempotent). */
async function setUpSchemas(binaries: TemporalServerBinaries, postgres: NonNullable<ClusterOptions['postgres']>, databases: string[], progress: (line: string) => void) {
  const schemas = join(binaries.moduleDir, 'schema', 'postgresql', 'v12');
  const env = { ...process.env, ...(postgres.password ? { SQL_PASSWORD: postgres.password } : {}) };
  const sql = (database: string, ...args: string[]) => run(binaries.sqlTool, ['--plugin', 'postgres12', '--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user, '--db', database, ...args], env, () => {});
  for (const [database, schema] of [[databases[0]!, 'temporal'], [databases[1]!, 'visibility']] as const) {
    await sql(database, 'create').catch((error: Error) => {
      if (!/already exists/.test(error.message)) throw error;
    });
    await sql(database, 'setup-schema', '-v', '0.0').catch((error: Error) => {
      // A database set up before keeps its version table: the update below moves it on.
      if (!/already exists|schema_version/.test(error.message)) throw error;
    });
    await sql(database, 'update-schema', '-d', join(schemas, schema, 'versioned'));
    progress(`Schema of ${database} is up to date`);
  }
}

/** Waits for the frontend, then registers the namespace and Steward's search attributes (both idempotent). */
function registerWhenServing(address: string, namespace: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  return untilServing(address, exited, timeoutMs, async (connection) => {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('72 hours') }).catch((error: Error) => {
      if (!/already exists/i.test(error.message)) throw error;
    });
    await connection.workflowService.describeNamespace({ namespace });
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = stewardSearchAttributes.filter((key) => !existing.customAttributes?.[key.name]);
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]])),
      });
    }
  });
}

const INDEXED_VALUE_TYPES = {
  KEYWORD: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
} as const;

interface ServerConfigInput {
  postgres: NonNullable<ClusterOptions['postgres']>;
  databases: string[];
  ports: { frontend: number; http: number; history: number; matching: number; worker: number };
  membership: { frontend: number; history: number; matching: number; worker: number };
  pprofPort: number;
  metricsPort: number;
}

/** Temporal's development-postgres12.yaml, on free ports and Steward's databases. */
function serverConfig({ postgres, databases, ports, membership, pprofPort, metricsPort }: ServerConfigInput): string {
  const datastore = (database: string, connections: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${postgres.host}:${postgres.port}"
        connectProtocol: "tcp"
        user: "${postgres.user}"
        password: "${postgres.password ?? ''}"
        maxConns: ${connections}
        maxIdleConns: ${connections}
        maxConnLifetime: "1h"`;
  const service = (name: keyof ServerConfigInput['membership'], extra = '') => `
  ${name}:
    rpc:
      grpcPort: ${ports[name]}
      membershipPort: ${membership[name]}
      bindOnLocalHost: true${extra}`;
  return `log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${CLUSTER_HISTORY_SHARDS}
  datastores:
    postgres-default:${datastore(databases[0]!, 20)}
    postgres-visibility:${datastore(databases[1]!, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  pprof:
    port: ${pprofPort}
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${metricsPort}"

services:${service('frontend', `\n      httpPort: ${ports.http}`)}${service('matching')}${service('history')}${service('worker')}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "config/dynamicconfig/steward.yaml"
  pollInterval: "10s"
`;
}
