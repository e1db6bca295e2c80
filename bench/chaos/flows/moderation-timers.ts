// Timed punishments under chaos: a direct-action moderator mutes a member for 20 seconds (HTTP API). Expected: the
// mute role given, one DM, and the role taken back on time, with the case ended, whatever died in between.
import { randomUUID } from 'node:crypto';
import { apiList, count, emptyTally, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow } from './context.js';

const MUTE_SECONDS = 20;

interface MuteRun {
  targetId: string;
  accepted: boolean;
  mutedSeen: boolean;
}

interface CaseJson {
  kind: string;
  status: string;
}

export function moderationTimersFlow(context: ChaosContext): ChaosFlow {
  const { world, people, roles } = context;
  const { driver } = world.sandbox;
  const runs: MuteRun[] = [];
  const hasMuteRole = (memberId: string) => ((driver.member(world.guildId, memberId) as { roles?: string[] } | undefined)?.roles ?? []).includes(roles.muted);
  // Counted as they happen: the sandbox's REST log keeps only the latest 10,000 calls, fewer than a long run makes.
  const roleWrites = new Map<string, { added: number; removed: number }>();
  driver.on('rest', (entry) => {
    const target = new RegExp(`/members/(\\d+)/roles/${roles.muted}$`).exec(entry.path)?.[1];
    if (!target || entry.status >= 300 || (entry.method !== 'PUT' && entry.method !== 'DELETE')) return;
    const writes = roleWrites.get(target) ?? { added: 0, removed: 0 };
    if (entry.method === 'PUT') writes.added++;
    else writes.removed++;
    roleWrites.set(target, writes);
  });

  return {
    name: 'moderation timers',
    async run() {
      const targetId = driver.createUser({ username: `muted-${randomUUID().slice(0, 6)}` }).id;
      driver.addMember(world.guildId, targetId);
      const run: MuteRun = { targetId, accepted: false, mutedSeen: false };
      runs.push(run);
      const created = await context.api('POST', '/moderation/cases', {
        idempotency_key: `chaos-mute-${targetId}`,
        kind: 'mute',
        target_id: targetId,
        reason: 'Chaos: heated',
        duration_seconds: MUTE_SECONDS,
        moderator_id: people.moderator,
        direct: true,
      });
      run.accepted = created.status === 202 || created.status === 200;
      if (!run.accepted) return;
      run.mutedSeen = (await waitUntil(() => (roleWrites.get(targetId)?.added ? true : undefined), PATIENTLY, 50)) ?? false;
    },
    async pending() {
      return runs.filter((run) => run.mutedSeen && hasMuteRole(run.targetId)).length;
    },
    async verify() {
      const tally = emptyTally('moderation timers', runs.length);
      for (const run of runs) {
        if (!run.accepted) {
          tally.lost++;
          tally.problems.push(`mute of ${run.targetId}: the API never accepted it`);
          continue;
        }
        const cases = await apiList<CaseJson>(context, `/moderation/cases?member=${run.targetId}`, 'cases').catch((error: unknown) => error as Error);
        if (cases instanceof Error) {
          tally.lost++;
          tally.problems.push(`mute of ${run.targetId}: its cases could not be read back: ${cases.message}`);
          continue;
        }
        const mutes = cases.filter((found) => found.kind === 'mute');
        const dms = driver.dmsFor(run.targetId).map((message) => String((message as { content?: string }).content ?? ''));
        const writes = roleWrites.get(run.targetId) ?? { added: 0, removed: 0 };
        count(tally, 'mute cases', mutes.length);
        count(tally, 'DMs', dms.length);
        count(tally, 'role added', writes.added);
        count(tally, 'role removed', writes.removed);
        const repeatedDm = new Set(dms).size < dms.length;
        if (mutes.length === 1 && mutes[0]!.status === 'ended' && run.mutedSeen && !hasMuteRole(run.targetId) && !repeatedDm) {
          tally.completed++;
          continue;
        }
        if (mutes.length > 1 || repeatedDm) tally.duplicated++;
        else if (mutes.length === 0 || !run.mutedSeen) tally.lost++;
        else tally.halfDone++;
        tally.problems.push(`mute of ${run.targetId}: cases ${mutes.map((found) => found.status).join(',')}, muted seen ${run.mutedSeen}, role now ${hasMuteRole(run.targetId)}, DMs ${JSON.stringify(dms)}`);
      }
      return tally;
    },
  };
}
