// The production topology the chaos suite breaks: the full Temporal server on PostgreSQL (4 history shards), two
// worker processes on one task queue and an adapters process, Steward's database behind a proxy that can cut it,
// the sandbox's Discord with its rate limits on, and the LLM, Q2Q and volunteer platform as local servers that
// speak their wire protocols and can be taken down. Everything it starts is on its shutdown stack.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { Client, Connection } from '@temporalio/client';
import { issueApiToken } from '../../src/http/api-tokens.js';
import { ShutdownStack } from '../../src/lifecycle.js';
import { freePort } from '../../src/net.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTemporalCluster, type TemporalCluster } from '../../src/temporal/cluster.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../../test/sandbox/world.js';
import { createTestDatabase, dropDatabases } from '../../test/support/database.js';
import { callGuildApi, type GuildApiTarget } from '../../test/support/guild-api.js';
import { anthropicProtocol } from '../../test/support/llm-servers/anthropic-server.js';
import { startScriptedServer, type ScriptedLlmServer } from '../../test/support/llm-servers/scripted-server.js';
import { startPlatformServer } from '../../test/support/platform-server.js';
import { startQ2qServer, type Q2qServer } from '../../test/support/q2q-server.js';
import { discordEnv } from '../../test/support/steward.js';
import { spawnSteward, type StewardProcess } from '../../test/support/steward-process.js';
import type { ChaosChannels, ChaosContext, ChaosPeople } from './flows/context.js';
import { suggestionsFor } from './flows/record-review.js';
import { startPostgresProxy, type PostgresProxy } from './postgres-proxy.js';

const PLATFORM_SECRET = 'chaos-platform-secret-0123456789abcdef';
const LLM_KEY = 'chaos-anthropic-key';
/** The scores the LLM gives feedback when Q2Q is down. */
const LLM_SCORES = { confidence: 0.4, belonging: 0.3, lang_level_proxy: 0.5, job_readiness: 0.2, well_being: 0.6, themes: ['onboarding'] };
export const DIGEST_INTERVAL_SECONDS = 30;

export interface Outages {
  llm: boolean;
}

export interface ChaosStack {
  context: ChaosContext;
  cluster: TemporalCluster;
  temporal: Client;
  taskQueue: string;
  proxy: PostgresProxy;
  llm: ScriptedLlmServer;
  q2q: Q2qServer;
  outages: Outages;
  /** The subscriber of the server's digest. */
  digestSubscriber: string;
  /** The channels flows post in. */
  flowChannels: { workshop: string; events: string; talk: string };
  /** Starts a worker process (not waited for). */
  spawnWorker(): Promise<StewardProcess>;
  adapters: StewardProcess;
  shutdown: ShutdownStack;
}

export async function startChaosStack(progress: (line: string) => void): Promise<ChaosStack> {
  const shutdown = new ShutdownStack(createLogger({ level: 'warn' }));
  try {
    const folder = mkdtempSync(join(tmpdir(), 'steward-chaos-'));
    shutdown.push('temporal folder', async () => rmSync(folder, { recursive: true, force: true }));
    const cluster = await startTemporalCluster({ folder, databasePrefix: `steward_chaos_${randomUUID().slice(0, 8)}_`, progress });
    shutdown.push('temporal cluster databases', () => dropDatabases(cluster.databases));
    shutdown.push('temporal cluster', () => cluster.stop());
    const temporal = new Client({ connection: await Connection.connect({ address: cluster.address }) });
    shutdown.push('temporal client', () => temporal.connection.close());

    const db = await createTestDatabase();
    shutdown.push('database', () => db.drop());
    const proxy = await startPostgresProxy();
    shutdown.push('postgres proxy', () => proxy.close());

    const outages: Outages = { llm: false };
    const llm = await startScriptedServer(anthropicProtocol, { apiKey: LLM_KEY });
    llm.respondWith((request) => {
      if (outages.llm) return { kind: 'error', status: 529 };
      return { kind: 'tool', input: suggestionsFor(request.body) ?? LLM_SCORES };
    });
    shutdown.push('llm server', () => llm.close());
    const q2q = await startQ2qServer();
    shutdown.push('q2q server', () => q2q.close());
    const platform = await startPlatformServer(PLATFORM_SECRET);
    shutdown.push('platform server', () => platform.close());

    const world = await createWorld();
    shutdown.push('sandbox', () => world.sandbox.close());
    const { people, channels, roles, flowChannels, digestSubscriber } = furnish(world);

    const env = {
      ...discordEnv(world),
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_TASK_QUEUE: `chaos-${randomUUID().slice(0, 8)}`,
      DATABASE_URL: proxy.urlFor(db.url),
      ANTHROPIC_API_KEY: LLM_KEY,
      ANTHROPIC_BASE_URL: llm.baseUrl,
      LLM_PROVIDERS: 'anthropic',
      Q2Q_URL: q2q.url,
      Q2Q_API_KEY: 'chaos-q2q-key',
      Q2Q_TIMEOUT_MS: '2000',
      PLATFORM_URL: platform.url,
      PLATFORM_WEBHOOK_SECRET: PLATFORM_SECRET,
      FEEDBACK_ANALYSIS_RETRY_SECONDS: '15',
      DIGEST_INTERVAL_SECONDS: String(DIGEST_INTERVAL_SECONDS),
      DIGEST_RETRY_SECONDS: '10',
      // Info: "Steward is running" is how the monkey knows a worker has started.
      LOG_LEVEL: 'info',
    };
    const stopOnUnwind = (steward: StewardProcess) =>
      shutdown.push('steward process', async () => {
        steward.child.kill('SIGKILL');
        await steward.exited;
      });
    // Every worker's warnings and errors, kept for the post-mortem of anything the counts flag.
    const problemsLog = join(tmpdir(), `steward-chaos-${Date.now()}.log`);
    progress(`workers' warnings and errors go to ${problemsLog}`);
    const spawnWorker = async () => {
      const worker = spawnSteward('worker', { ...env, TEMPORAL_METRICS_PORT: String(await freePort()) });
      stopOnUnwind(worker);
      void worker.exited.then((how) => {
        const lines = worker.logs.filter((line) => ['warn', 'error', 'fatal', 'raw'].includes(line.level));
        // A worker that ended by itself says why on stderr (a dependency it could not reach at start, say).
        if (how !== 'SIGKILL') lines.push({ level: 'exit', msg: `exited by itself (${how})`, stderr: worker.stderr().slice(-1_000) });
        if (lines.length > 0) appendFileSync(problemsLog, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      });
      return worker;
    };
    // The first worker starts alone and stays until the adapters are up: the adapters wait for nothing, but the
    // configuration below goes through workflows.
    const first = await spawnWorker();
    await first.waitForLog((line) => line.msg === 'Steward is running', 120_000);
    const adapters = spawnSteward('adapters', { ...env, LOG_LEVEL: 'info', HTTP_PORT: String(await freePort()), TEMPORAL_METRICS_PORT: String(await freePort()) });
    stopOnUnwind(adapters);
    // The adapters' failures ("Something went wrong" answers, Updates that never returned) for the same post-mortem.
    shutdown.push('adapters log', async () => {
      const lines = adapters.logs.filter((line) => ['warn', 'error', 'fatal', 'raw'].includes(line.level));
      if (lines.length > 0) appendFileSync(problemsLog, lines.map((line) => `${JSON.stringify({ process: 'adapters', ...line })}\n`).join(''));
    });
    const httpUrl = String((await adapters.waitForLog((line) => line.msg === 'Steward is running', 120_000)).http);
    const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'chaos suite'));

    const context: ChaosContext = { world, temporal, db, platform, people, channels, roles, api: (method, path, body) => callApi({ httpUrl, guildId: world.guildId, token }, method, path, body) };
    await configure(context, digestSubscriber, flowChannels.talk);
    first.child.kill('SIGKILL');
    await first.exited;
    return { context, cluster, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE, proxy, llm, q2q, outages, digestSubscriber, flowChannels, spawnWorker, adapters, shutdown };
  } catch (error) {
    await shutdown.unwind();
    throw error;
  }
}

/** The server the flows run in: channels, roles and people, with the permissions each flow needs from Steward. */
function furnish(world: World) {
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, {
    permissions: BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles | P.ManageGuild | P.ModerateMembers | P.KickMembers | P.BanMembers | P.EmbedLinks | P.CreateInstantInvite | P.ManageEvents,
  });
  // Steward's own role above the roles it hands out, as a server admin would arrange it.
  driver.grantRole(world.guildId, world.app.botUserId, driver.createRole(world.guildId, { name: 'Steward top', permissions: 0n, position: 6 }).id);
  const moderation = P.ModerateMembers | P.KickMembers | P.BanMembers;
  const moderatorRole = driver.createRole(world.guildId, { name: 'Senior mods', permissions: moderation, position: 4 }).id;
  const approverRole = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n, position: 2 }).id;
  const muted = driver.createRole(world.guildId, { name: 'Muted', permissions: 0n, position: 2 }).id;
  const person = (username: string, roles: string[]) => {
    const id = driver.createUser({ username }).id;
    driver.addMember(world.guildId, id, { roles });
    return id;
  };
  const people: ChaosPeople = { approver: person('approver', [approverRole]), requester: person('requester', [approverRole]), moderator: person('moderator', [moderatorRole]) };
  const channel = (name: string) => driver.createChannel(world.guildId, { name }).id;
  const channels: ChaosChannels = { approvals: channel('approvals'), raidAlerts: channel('raid-alerts'), digest: channel('digest'), locked: [channel('lobby'), channel('chat')] };
  const flowChannels = { workshop: channel('workshop'), events: channel('events'), talk: world.channelId };
  return { people, channels, roles: { muted, approverRole, moderatorRole }, flowChannels, digestSubscriber: person('subscriber', []) };
}

async function configure(context: ChaosContext, subscriber: string, talk: string): Promise<void> {
  const { channels, roles } = context;
  const settings: [string, unknown][] = [
    ['/approvals/settings', { channel_id: channels.approvals, approver_role_ids: [roles.approverRole] }],
    ['/moderation/settings', { moderator_role_ids: [roles.moderatorRole], direct_action_role_ids: [roles.moderatorRole], mute_role_id: roles.muted }],
    ['/raid/settings', { enabled: true, channel_ids: channels.locked, alert_channel_id: channels.raidAlerts, quiet_minutes: 30 }],
    ['/digest/settings', { enabled: true, channel_id: channels.digest }],
  ];
  for (const [path, body] of settings) {
    const saved = await context.api('PUT', path, body);
    if (saved.status !== 200) throw new Error(`PUT ${path} answered ${saved.status}: ${JSON.stringify(saved.body)}`);
  }
  const { driver } = context.world.sandbox;
  const subscribed = driver.runSlashCommand(subscriber, context.world.guildId, talk, 'digest subscribe');
  await driver.waitFor(() => (subscribed.responses() as { content?: string }[]).find((reply) => reply.content === 'You will get the weekly digest by DM too.'), 30_000);
}

/** Steward's HTTP API as a careful client calls it: a 5xx or a refused connection is tried again, up to a minute. */
async function callApi<T>(target: GuildApiTarget, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  for (const deadline = Date.now() + 60_000; ; await sleep(1_000)) {
    try {
      const answer = await callGuildApi<T>(target, method, path, body);
      if (answer.status < 500 || Date.now() > deadline) return answer;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
