// Where a member's DMs go. A bot must open (really: look up) a member's DM channel before it can DM them, and that
// costs one of its 50 requests a second. The channel never changes, so each is asked for once: remembered in this
// worker's memory and in PostgreSQL for every other worker, and opened ahead of need where a flow knows it will DM.
import type { REST } from '@discordjs/rest';
import { log } from '@temporalio/activity';
import { Routes, type APIChannel, type APIMessage } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import { knownDirectChannels, recordSent, rememberDirectChannels, wasSent } from '../../src/discord/direct-channels.js';
import { isDiscordRefusal } from './discord-call.js';

const REMEMBERED_IN_MEMORY = 50_000;
const CANNOT_MESSAGE_USER = 50007;

export class DirectChannels {
  private readonly remembered = new Map<string, string>();

  constructor(
    private readonly database: Database,
    private readonly rest: () => REST,
  ) {}

  /**
   * The DM channel of each member: from memory, then PostgreSQL (one query), then Discord for the rest. With
   * `skipRefused`, a member Discord will not open a channel with (an unknown or deleted user) is left out.
   */
  async of(userIds: readonly string[], { skipRefused = false } = {}): Promise<Map<string, string>> {
    const channels = new Map<string, string>();
    const unknown = new Set<string>();
    for (const userId of userIds) {
      const known = this.remembered.get(userId);
      if (known) channels.set(userId, known);
      else unknown.add(userId);
    }
    if (unknown.size === 0) return channels;
    const stored = await knownDirectChannels(this.database.fork(), [...unknown]);
    const opened = new Map<string, string>();
    try {
      for (const userId of unknown) {
        let channelId = stored.get(userId);
        if (!channelId) {
          const channel = await this.open(userId, skipRefused);
          if (!channel) continue;
          channelId = channel.id;
          opened.set(userId, channelId);
        }
        channels.set(userId, channelId);
        this.remember(userId, channelId);
      }
    } finally {
      await rememberDirectChannels(this.database.fork(), opened);
    }
    return channels;
  }

  async ofMember(userId: string): Promise<string> {
    return (await this.of([userId])).get(userId)!;
  }

  /**
   * A DM to one member. A member who does not accept DMs (Discord 50007) is `refused`, not a failure. With the
   * caller's nonce (and `enforce_nonce`) it is sent once: Discord answers a quick retry with the first message, and
   * the ledger in PostgreSQL answers a retry that comes after Discord has forgotten the nonce.
   */
  async send(userId: string, body: Record<string, unknown>): Promise<'sent' | 'refused'> {
    const channelId = await this.ofMember(userId);
    const nonce = body.enforce_nonce === true && typeof body.nonce === 'string' ? body.nonce : undefined;
    if (nonce && (await wasSent(this.database.fork(), channelId, nonce))) return 'sent';
    try {
      const message = (await this.rest().post(Routes.channelMessages(channelId), { body })) as APIMessage;
      // Sent: a ledger that cannot be written now (the database cut off) must not fail the step, or its retry,
      // perhaps after Discord has forgotten the nonce, would send the DM again.
      if (nonce) await recordSent(this.database.fork(), channelId, nonce, message.id).catch((error: unknown) => log.warn('A sent DM could not be noted in the ledger', { nonce, error: (error as Error).message }));
      return 'sent';
    } catch (error) {
      if ((error as { code?: number }).code === CANNOT_MESSAGE_USER) return 'refused';
      throw error;
    }
  }

  private async open(userId: string, skipRefused: boolean): Promise<APIChannel | undefined> {
    try {
      return (await this.rest().post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    } catch (error) {
      if (skipRefused && isDiscordRefusal(error)) return undefined;
      throw error;
    }
  }

  private remember(userId: string, channelId: string): void {
    if (this.remembered.size >= REMEMBERED_IN_MEMORY) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(userId, channelId);
  }
}
