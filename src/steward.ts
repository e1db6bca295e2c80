// The composition root: starts the parts this process runs (embedded servers, database, worker, HTTP adapter)
// from one Config, wires every feature in through its manifest (src/features/index.ts), and stops the parts in
// reverse order. The parts only some processes run (the embedded servers, the Discord gateway, the HTTP server)
// are imported when started: a worker does not load discord.js or express's adapters, and starts sooner.
import { join } from 'node:path';
import type { Worker } from '@temporalio/worker';
import { REST } from '@discordjs/rest';
import { installRuntime } from '../worker/runtime.js';
import { createStewardWorker } from '../worker/worker.js';
import type { Config } from './config/index.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open.js';
import { createDispatcher, type InteractionDispatcher } from './discord/dispatch.js';
import type { AdapterContext, Command, GatewayListener } from './discord/handlers.js';
import { originOf } from './discord/webhook-url.js';
import type { ActivityMap, FeatureServices } from './features/feature.js';
import { FeatureSet } from './features/feature-set.js';
import { stewardEntities, stewardFeatures } from './features/index.js';
import { operatorOnly } from './http/operator.js';
import { ShutdownStack } from './lifecycle.js';
import { buildProviderChain } from './llm/index.js';
import type { Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { Tracing } from './observability/tracing.js';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { connectClient, connectWorker } from './temporal/connection.js';
import { ensureSchedules } from './temporal/schedules.js';
import { FlowStarter } from './temporal/start-flow.js';

export interface RunningSteward {
  httpUrl?: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  taskQueue: string;
  /** Settles when the worker stops on its own (a fatal error); never settles in an adapters-only process. */
  workerStopped: Promise<void>;
  stop(): Promise<void>;
}

/** What a test can bring that configuration cannot say. */
export interface StewardExtras {
  /** Receives every span (an in-memory exporter's processor), tracing on whatever the configuration says. */
  spanProcessor?: SpanProcessor;
}

export async function startSteward(config: Config, logger: Logger, extras: StewardExtras = {}): Promise<RunningSteward> {
  const shutdown = new ShutdownStack(logger);
  try {
    return await startParts(config, logger, shutdown, extras);
  } catch (error) {
    await shutdown.unwind();
    throw error;
  }
}

async function startParts(config: Config, logger: Logger, shutdown: ShutdownStack, extras: StewardExtras): Promise<RunningSteward> {
  const runsWorker = config.role !== 'adapters';
  const runsAdapters = config.role !== 'worker';
  const features = new FeatureSet(stewardFeatures, config.features);
  const tracing = Tracing.start({ ...config.tracing, spanProcessor: extras.spanProcessor });
  if (tracing) {
    // Pushed first so it unwinds last: the spans of shutting down are exported too.
    shutdown.push('tracing', () => tracing.shutdown());
    logger.info({ exporter: config.tracing.otlpEndpoint ? 'otlp' : 'a test processor' }, 'Tracing on');
  }

  const temporal = await temporalAddress(config, logger, shutdown);
  const database = await openStewardDatabase(config, logger, shutdown);
  // Without a bot token the adapters talk to a local sandbox; the worker in the same process uses it too.
  const discord = config.discord.token || !runsAdapters ? config.discord : await startSandbox(config, logger, shutdown);

  // One client for the adapters and for activities that start workflows (a reviewed record's announcement).
  const client = await connectClient(config.temporal, temporal.address, tracing?.clientInterceptors);
  shutdown.push('temporal client', () => client.connection.close());
  const temporalMetricsUrl = runsWorker ? `http://127.0.0.1:${config.temporal.metricsPort}/metrics` : undefined;
  const metrics = new Metrics(temporalMetricsUrl);
  const services: FeatureServices = {
    database,
    discord: discordRest(discord),
    webhookOrigins: originOf(discord.restApi),
    llm: buildProviderChain({ ...config.llm, offlineRules: features.offlineRules() }),
    temporal: client,
    flows: new FlowStarter(client, config.temporal.taskQueue, metrics.workflowsStarted),
    logger,
    operatorOnly: operatorOnly(config.http.operatorToken),
    digestSections: () => features.digestSections(services),
  };

  let workerStopped: Promise<void> = new Promise(() => {});
  if (runsWorker) {
    installRuntime({ logger, metricsBindAddress: `127.0.0.1:${config.temporal.metricsPort}` });
    const worker = await startWorker(config, temporal.address, shutdown, features.activities(services), tracing);
    workerStopped = worker.run().then(() => undefined);
    shutdown.push('worker', async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerStopped.catch(() => {});
    });
    logger.info({ taskQueue: config.temporal.taskQueue }, 'Worker polling');
    await ensureSchedules(client, config.temporal.taskQueue, features.schedules());
  }

  let httpUrl: string | undefined;
  if (runsAdapters) {
    const commands = features.commands();
    const context = {
      temporal: client,
      database,
      flows: services.flows,
      logger: logger.child({ component: 'discord' }),
      ...(services.discord ? { discord: services.discord } : {}),
    };
    const dispatch = createDispatcher({ commands, components: features.components(), context });
    httpUrl = await startHttp(config, logger, shutdown, { services, features, dispatch, metrics });
    await startDiscord(discord, logger, shutdown, { dispatch, commands, listeners: features.listeners(), context });
    for (const service of features.background(services)) {
      shutdown.push(service.name, await service.start());
      logger.info({ service: service.name }, 'Background service running');
    }
  }

  return {
    httpUrl,
    temporalAddress: temporal.address,
    temporalUiUrl: temporal.uiUrl,
    taskQueue: config.temporal.taskQueue,
    workerStopped,
    stop: () => shutdown.unwind(),
  };
}

/** The configured Temporal server, or an embedded dev server whose state lives in DATA_DIR. */
async function temporalAddress(config: Config, logger: Logger, shutdown: ShutdownStack) {
  if (config.temporal.address) return { address: config.temporal.address, uiUrl: undefined };
  const [{ resolveTemporalCli }, { startDevServer }] = await Promise.all([import('./temporal/cli.js'), import('./temporal/dev-server.js')]);
  const cli = await resolveTemporalCli({
    explicitPath: config.temporal.cliPath,
    progress: (line) => logger.info({ component: 'temporal-cli' }, line),
  });
  logger.info({ cli }, 'Starting the Temporal dev server');
  const server = await startDevServer({
    cli,
    port: config.temporal.devPort,
    uiPort: config.temporal.uiPort,
    namespace: config.temporal.namespace,
    dbFile: join(config.dataDir, 'temporal.db'),
    durability: 'durable',
    ownProcessGroup: true,
    onOutput: (line) => logger.debug({ component: 'temporal-server' }, line),
  });
  shutdown.push('temporal dev server', () => server.stop());
  logger.info({ address: server.address, ui: server.uiUrl }, 'Temporal dev server ready');
  return server;
}

/**
 * The configured PostgreSQL, or embedded PGlite; migrations are applied by the process that runs the worker. An
 * unreachable PostgreSQL is waited for (src/db/open.ts), so a process started during an outage starts after it.
 */
async function openStewardDatabase(config: Config, logger: Logger, shutdown: ShutdownStack): Promise<Database> {
  let { url, poolSize } = config.database;
  if (!url) {
    const { EMBEDDED_POOL_SIZE, startEmbeddedPostgres } = await import('./db/embedded-postgres.js');
    const embedded = await startEmbeddedPostgres(config.dataDir, config.database.embeddedPort);
    shutdown.push('embedded postgres', () => embedded.stop());
    logger.info({ port: config.database.embeddedPort }, 'Embedded PostgreSQL (PGlite) ready');
    url = embedded.url;
    poolSize = Math.min(poolSize, EMBEDDED_POOL_SIZE);
  }
  const migrate = config.role !== 'adapters';
  const { database, applied } = await openDatabase(
    { url, poolSize, entities: stewardEntities, statementTimeoutMs: config.database.statementTimeoutMs, logger },
    { migrate, logger },
  );
  shutdown.push('database', () => database.close());
  if (migrate) logger.info({ applied }, applied.length ? 'Database migrated' : 'Database schema up to date');
  return database;
}

async function startWorker(config: Config, address: string, shutdown: ShutdownStack, activities: ActivityMap, tracing: Tracing | undefined): Promise<Worker> {
  const connection = await connectWorker(config.temporal, address);
  shutdown.push('worker connection', () => connection.close());
  return createStewardWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    tuning: config.worker,
    tracing,
  });
}

/** Activities read messages and edit cards through Discord's REST API (or the sandbox's). */
function discordRest({ token, restApi }: Config['discord']): REST | undefined {
  if (!token) return undefined;
  return new REST({ version: '10', ...(restApi ? { api: restApi } : {}) }).setToken(token);
}

/** Without a bot token, the adapters connect to a local Discord sandbox with a demo server. */
async function startSandbox(config: Config, logger: Logger, shutdown: ShutdownStack): Promise<Config['discord']> {
  const { startDemoSandbox } = await import('./discord/demo-sandbox.js');
  const demo = await startDemoSandbox(config.discord.sandboxPort);
  shutdown.push('discord sandbox', () => demo.sandbox.close());
  logger.info({ url: demo.sandbox.url }, 'No DISCORD_TOKEN: running against the local Discord sandbox');
  process.stdout.write(`\n${demo.usage}\n\n`);
  return { ...config.discord, ...demo.discord };
}

/** The gateway connection to Discord (or the sandbox). */
async function startDiscord(
  discord: Config['discord'],
  logger: Logger,
  shutdown: ShutdownStack,
  adapter: { dispatch: InteractionDispatcher; commands: readonly Command<never>[]; listeners: readonly GatewayListener[]; context: AdapterContext },
) {
  const { token, applicationId, guildId, restApi } = discord;
  if (!token || !applicationId) return;
  const { startDiscordGateway } = await import('./discord/gateway.js');
  const gateway = await startDiscordGateway({
    token,
    applicationId,
    guildId,
    restApi,
    ...adapter,
    logger: logger.child({ component: 'discord' }),
  });
  shutdown.push('discord gateway', () => gateway.stop());
}

interface HttpDependencies {
  services: FeatureServices;
  features: FeatureSet;
  dispatch: InteractionDispatcher;
  metrics: Metrics;
}

async function startHttp(
  config: Config,
  logger: Logger,
  shutdown: ShutdownStack,
  { services, features, dispatch, metrics }: HttpDependencies,
): Promise<string> {
  const { publicKey, restApi } = config.discord;
  const [{ interactionsEndpoint }, { createHttpApp }, { guildApi }, { healthRoutes }, { listen }] = await Promise.all([
    import('./discord/http-endpoint.js'),
    import('./http/app.js'),
    import('./http/guild-scope.js'),
    import('./http/health.js'),
    import('./http/server.js'),
  ]);
  const app = createHttpApp({
    rawBodyRouters: [...(publicKey ? [interactionsEndpoint({ publicKey, dispatch, restApi })] : []), ...features.webhooks(services)],
    logger: logger.child({ component: 'http' }),
    metrics,
    operatorOnly: services.operatorOnly,
    bodyLimit: config.http.bodyLimit,
    routers: [
      healthRoutes([
        { name: 'temporal', check: () => services.temporal.workflowService.getSystemInfo({}).then(() => true) },
        { name: 'database', check: () => services.database.isReachable() },
      ]),
      ...features.routes(services),
      guildApi(services.database, logger.child({ component: 'guild-api' }), features.guildRoutes(services)),
    ],
  });
  const server = await listen(app, config.http.host, config.http.port);
  shutdown.push('http server', () => server.close());
  logger.info({ url: server.url }, 'HTTP API listening');
  return server.url;
}
