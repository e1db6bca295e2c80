// Timed punishments under chaos: a direct-action moderator mutes a member for 20 seconds (HTTP API). Expected: the
// mute role given, one DM, and the role taken back on time, with the case ended, whatever died in between.
import { randomUUID } from 'node:crypto';
import { count, emptyTally, PATIENTLY, waitUntil, type ChaosContext, type ChaosFlow } from './context.js';

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
      run.mutedSeen = (await waitUntil(() => (hasMuteRole(targetId) ? true : undefined), PATIENTLY, 50)) ?? false;
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
        const { body } = await context.api<{ cases: CaseJson[] }>('GET', `/moderation/cases?member=${run.targetId}`);
        const mutes = body.cases.filter((found) => found.kind === 'mute');
        const dms = driver.dmsFor(run.targetId).map((message) => String((message as { content?: string }).content ?? ''));
        const roleWrites = driver
          .restLog()
          .filter((entry) => entry.status < 300 && entry.path.endsWith(`/members/${run.targetId}/roles/${roles.muted}`));
        count(tally, 'mute cases', mutes.length);
        count(tally, 'DMs', dms.length);
        count(tally, 'role added', roleWrites.filter((entry) => entry.method === 'PUT').length);
        count(tally, 'role removed', roleWrites.filter((entry) => entry.method === 'DELETE').length);
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
