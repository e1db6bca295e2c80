// Volunteer feedback under chaos: a volunteer runs /feedback and gets a receipt at once; Steward has Q2Q analyse it
// (the LLM when Q2Q is down, later when both are) and shares it with the volunteer platform. Expected: one
// feedback stored, analysed once, and one `feedback.shared` event on the platform.
import { randomUUID } from 'node:crypto';
import { apiList, count, emptyTally, waitUntil, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

interface FeedbackRun {
  memberId: string;
  trackingId?: string;
}

interface FeedbackJson {
  tracking_id: string;
  analysis_status: string;
  share_status: string;
}

export function feedbackFlow(context: ChaosContext, channelId: string): ChaosFlow {
  const { world, platform } = context;
  const { driver } = world.sandbox;
  const runs: FeedbackRun[] = [];
  const listed = (run: FeedbackRun) => apiList<FeedbackJson>(context, `/engagement/feedback?member=${run.memberId}`, 'feedback');
  const done = (feedback: FeedbackJson[]) => feedback.length === 1 && feedback[0]!.analysis_status === 'analysed' && feedback[0]!.share_status === 'shared';

  return {
    name: 'volunteer feedback',
    async run() {
      const memberId = driver.createUser({ username: `volunteer-${randomUUID().slice(0, 6)}` }).id;
      driver.addMember(world.guildId, memberId);
      const run: FeedbackRun = { memberId };
      runs.push(run);
      const handle = driver.runSlashCommand(memberId, world.guildId, channelId, 'feedback', { message: `The Saturday session ${randomUUID().slice(0, 6)} helped me a lot.` });
      const receipt = await waitUntil(() => (handle.responses() as unknown as MessageLike[]).find((reply) => /Tracking id/.test(reply.content ?? '')), 60_000);
      run.trackingId = /\*\*(FB-[0-9A-Z]+)\*\*/.exec(receipt?.content ?? '')?.[1];
    },
    async pending() {
      let waiting = 0;
      for (const run of runs) if (run.trackingId && !done(await listed(run).catch(() => []))) waiting++;
      return waiting;
    },
    async verify() {
      const tally = emptyTally('volunteer feedback', runs.length);
      for (const run of runs) {
        if (!run.trackingId) {
          tally.lost++;
          tally.problems.push(`feedback of ${run.memberId}: no receipt`);
          continue;
        }
        const feedback = await listed(run).catch((error: unknown) => error as Error);
        if (feedback instanceof Error) {
          tally.lost++;
          tally.problems.push(`feedback ${run.trackingId}: could not be read back: ${feedback.message}`);
          continue;
        }
        const shared = platform.events.filter((event) => event.type === 'feedback.shared' && event.data.trackingId === run.trackingId).length;
        count(tally, 'feedback stored', feedback.length);
        count(tally, 'platform events', shared);
        if (done(feedback) && shared === 1) {
          tally.completed++;
          continue;
        }
        if (feedback.length > 1 || shared > 1) tally.duplicated++;
        else if (feedback.length === 0 || shared === 0) tally.lost++;
        else tally.halfDone++;
        tally.problems.push(`feedback ${run.trackingId}: stored ${feedback.length} (${feedback.map((found) => `${found.analysis_status}/${found.share_status}`).join(',')}), shared events ${shared}`);
      }
      return tally;
    },
  };
}
