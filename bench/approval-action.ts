// Approvals: from an approver's click on Approve to the action applied in Discord (the sandbox holding the ban),
// with 20 requests open at once and their approvers clicking as soon as each card shows.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { issueApiToken } from '../src/http/api-tokens.js';
import { BOT_PERMISSIONS, createWorld } from '../test/sandbox/world.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

const REQUESTS = 200;
const CONCURRENCY = 20;
const WARMUP = 10;
const TIMEOUT_MS = 30_000;
/**
 * Cards wait their turn behind Discord's limit on posts to one channel (5 per 5 s): with 20 requests open, a card
 * can take 20 s and more (a 429's retry waits longer). The click → ban latency, what is measured, keeps TIMEOUT_MS.
 */
const CARD_TIMEOUT_MS = 120_000;

interface Card {
  id: string;
  embeds?: { title: string; footer?: { text: string } }[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

export async function benchmarkApprovalAction() {
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    devServer,
    cluster,
    setup: [
      `${WARMUP} warm-up then ${REQUESTS} ban requests through POST /approvals, ${CONCURRENCY} open at once; one approver`,
      'clicks Approve as soon as each card shows. Latency: the click to the sandbox holding the ban (interaction → adapter',
      'ack → decideApproval Update → the workflow runs executeApprovedAction, which re-reads and PUTs the ban).',
      `Steward adapters process + worker processes + PostgreSQL ${devServer.postgres},`,
      "all on this machine; sandbox (with Discord's rate limits) in the benchmark process. requestsPerSecond is bound by",
      "Discord's limit on posts to one channel (5 per 5 s): every card goes to the one approvals channel.",
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('approval-action', figures), figures };
}

async function measure({ db, shutdown, ...stack }: BenchStack) {
  const world = await createWorld();
  shutdown.push('sandbox', () => world.sandbox.close());
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | PermissionFlagsBits.BanMembers });
  const approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n }).id;
  const approver = driver.createUser({ username: 'approver' }).id;
  driver.addMember(world.guildId, approver, { roles: [approvers] });
  const discord = {
    DISCORD_TOKEN: world.app.token,
    DISCORD_APPLICATION_ID: world.app.applicationId,
    DISCORD_GUILD_ID: world.guildId,
    DISCORD_API_URL: `${world.sandbox.url}/api`,
  };
  const [, adapters] = await Promise.all([stack.startSteward('worker', { ...discord, LOG_LEVEL: 'warn' }), stack.startSteward('adapters', discord)]);
  const ready = await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);
  const httpUrl = String(ready.http);
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'bench'));
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${httpUrl}/api/v1/guilds/${world.guildId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approvers] });

  // Cards are found by their case (footer); bans by the sandbox's ban list.
  const waitFor = <T>(probe: () => T | undefined) => driver.waitFor(probe, TIMEOUT_MS);
  const approveOnce = async (index: number): Promise<number> => {
    const target = driver.createUser({ username: `raider${index}` }).id;
    driver.addMember(world.guildId, target);
    const caseId = `bench-${index}`;
    await api('POST', '/approvals', { case_id: caseId, action: { type: 'ban' }, target_id: target, reason: 'Raid account' });
    const card = await driver.waitFor(
      () => (driver.channelMessages(world.channelId) as unknown as Card[]).find((message) => message.embeds?.[0]?.footer?.text === `Case ${caseId}`),
      CARD_TIMEOUT_MS,
    );
    const approve = card.components?.[0]?.components.find((component) => component.label === 'Approve')?.custom_id as string;
    const clicked = performance.now();
    driver.clickButton(approver, world.channelId, card.id, approve);
    await waitFor(() => driver.bans(world.guildId).find((ban) => ban.userId === target));
    return performance.now() - clicked;
  };

  await runConcurrently(WARMUP, CONCURRENCY, (index) => approveOnce(index));
  const samples: number[] = [];
  const started = performance.now();
  await runConcurrently(REQUESTS, CONCURRENCY, async (index) => samples.push(await approveOnce(WARMUP + index)));
  const seconds = (performance.now() - started) / 1000;

  return {
    approveToActionMs: { concurrency: CONCURRENCY, ...summarize(samples) },
    requestsPerSecond: round(REQUESTS / seconds, 1),
    postgres: stack.postgresVersion,
  };
}
