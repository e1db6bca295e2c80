// Digests under chaos: the server's digest Schedule fires every DIGEST_INTERVAL_SECONDS through the whole run, with a
// subscriber. Expected: every digest Steward recorded as posted is in the channel exactly once and in the
// subscriber's DMs exactly once, and no slot was posted twice. A run counts one digest period.
import { count, emptyTally, type ChaosContext, type ChaosFlow, type MessageLike } from './context.js';

export function digestsFlow(context: ChaosContext, subscriberId: string): ChaosFlow {
  const { world, db, channels } = context;
  const { driver } = world.sandbox;
  const isDigest = (message: unknown) => (message as MessageLike).embeds?.[0]?.title?.startsWith('🗞️') ?? false;

  return {
    name: 'weekly digests',
    // The Schedule runs on its own: nothing to drive.
    async run() {},
    async verify() {
      const posts = await db.query<{ target: string; period_end: string }>(
        `select target, period_end from digest_posts where guild_id = $1 and (target = 'channel:0' or target = $2)`,
        [world.guildId, `dm:${subscriberId}:0`],
      );
      const channelPosts = posts.filter((post) => post.target === 'channel:0');
      const dmPosts = posts.filter((post) => post.target !== 'channel:0');
      const inChannel = driver.channelMessages(channels.digest).filter(isDigest).length;
      const inDms = driver.dmsFor(subscriberId).filter(isDigest).length;
      const tally = emptyTally('weekly digests', channelPosts.length);
      count(tally, 'digests posted', inChannel);
      count(tally, 'digest DMs', inDms);
      const periods = new Set(channelPosts.map((post) => post.period_end)).size;
      tally.completed = Math.min(inChannel, channelPosts.length);
      tally.duplicated = Math.max(0, inChannel - channelPosts.length) + Math.max(0, inDms - dmPosts.length) + (channelPosts.length - periods);
      tally.lost = Math.max(0, channelPosts.length - inChannel) + Math.max(0, dmPosts.length - inDms);
      if (tally.duplicated || tally.lost) tally.problems.push(`digests: recorded ${channelPosts.length} posts and ${dmPosts.length} DMs; the channel shows ${inChannel}, the DMs ${inDms}`);
      return tally;
    },
  };
}
