// The Gateway v10 WebSocket endpoint: HELLO, IDENTIFY/RESUME, heartbeats, member requests and routing of dispatches.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Dispatch, SandboxCore } from '../core.js';
import { memberPayload } from '../payloads.js';
import {
  identifyCompressionEncoder,
  plainEncoder,
  zlibStreamEncoder,
  type PayloadEncoder,
  type Sender,
} from './compression.js';
import { ALL_INTENTS, allowedPrivilegedIntents, applyMessageContentRule, PRIVILEGED_INTENTS, requiredIntent } from './intents.js';
import { guildCreatePayload, readyPayload } from './ready.js';
import { GatewaySession, type SessionTransport } from './session.js';

const RESUME_WINDOW_MS = 5 * 60_000;
/** Discord rejects client payloads above 4096 bytes. */
const MAX_CLIENT_PAYLOAD = 4096;

interface ClientPayload {
  op: number;
  d: unknown;
}

type Json = Record<string, unknown>;

/** Guilds are spread over shards by `(guild_id >> 22) % shard_count`. */
function onShard(guildId: string, [id, count]: readonly [number, number]): boolean {
  return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
}

class GatewayConnection implements SessionTransport {
  session: GatewaySession | null = null;
  private encoder: PayloadEncoder;
  private heartbeatDeadline: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: GatewayHub,
    private readonly core: SandboxCore,
    readonly socket: WebSocket,
    private readonly zlibStream: boolean,
  ) {
    const send: Sender = (data) => socket.send(data);
    this.encoder = zlibStream ? zlibStreamEncoder(send) : plainEncoder(send);
    socket.on('message', (raw, isBinary) => this.onMessage(raw, isBinary));
    socket.on('close', () => this.onClose());
    socket.on('error', () => undefined);
    this.sendOp(GatewayOpcodes.Hello, { heartbeat_interval: core.config.heartbeatIntervalMs });
    this.expectHeartbeat();
  }

  sendText(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.encoder.send(text);
  }

  sendOp(op: GatewayOpcodes, d: unknown): void {
    this.sendText(JSON.stringify({ op, d, s: null, t: null }));
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Discord drops connections that stop heartbeating; the grace period mirrors its tolerance for jitter. */
  private expectHeartbeat(): void {
    clearTimeout(this.heartbeatDeadline);
    const grace = this.core.config.heartbeatIntervalMs * 1.5 + 1000;
    this.heartbeatDeadline = setTimeout(() => this.close(GatewayCloseCodes.SessionTimedOut, 'Session timed out'), grace);
    this.heartbeatDeadline.unref();
  }

  private onMessage(raw: RawData, isBinary: boolean): void {
    let payload: ClientPayload;
    try {
      if (isBinary) throw new Error('binary');
      payload = JSON.parse(raw.toString()) as ClientPayload;
      if (typeof payload !== 'object' || payload === null || typeof payload.op !== 'number') throw new Error('shape');
    } catch {
      return this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    if (payload.op === GatewayOpcodes.Heartbeat) {
      this.expectHeartbeat();
      return this.sendOp(GatewayOpcodes.HeartbeatAck, null);
    }
    if (payload.op === GatewayOpcodes.Identify || payload.op === GatewayOpcodes.Resume) {
      if (this.session) return this.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return payload.op === GatewayOpcodes.Identify ? this.identify(payload.d as Json) : this.resume(payload.d as Json);
    }
    if (!this.session) return this.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
    switch (payload.op) {
      case GatewayOpcodes.RequestGuildMembers:
        return this.requestGuildMembers(payload.d as Json);
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        return;
      default:
        return this.close(GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private identify(d: Json): void {
    const app = typeof d?.token === 'string' ? this.core.state.applicationByToken(d.token.replace(/^Bot /, '')) : undefined;
    if (!app) return this.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    if (typeof d.properties !== 'object' || d.properties === null) {
      return this.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    }
    const intents = d.intents;
    if (typeof intents !== 'number' || !Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      return this.close(GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
    }
    if (intents & PRIVILEGED_INTENTS & ~allowedPrivilegedIntents(app.flags)) {
      return this.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    }
    const shard = (Array.isArray(d.shard) ? d.shard : [0, 1]) as [number, number];
    if (shard.length !== 2 || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      return this.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    }
    if (d.compress === true && !this.zlibStream) this.encoder = identifyCompressionEncoder((data) => this.socket.send(data));
    const session = this.hub.openSession(app, intents, shard);
    this.session = session;
    session.attach(this);
    session.push(GatewayDispatchEvents.Ready, readyPayload(this.core, app, session.id, this.hub.url));
    for (const guild of this.core.state.guildsOfUser(app.botUserId)) {
      if (onShard(guild.id, shard) && intents & GatewayIntentBits.Guilds) {
        session.push(GatewayDispatchEvents.GuildCreate, guildCreatePayload(this.core, guild.id, app.botUserId, intents));
      }
    }
  }

  private resume(d: Json): void {
    const session = typeof d?.session_id === 'string' ? this.hub.session(d.session_id) : undefined;
    const token = typeof d?.token === 'string' ? d.token.replace(/^Bot /, '') : '';
    const missed = session && session.app.token === token && typeof d.seq === 'number' ? session.missedSince(d.seq) : null;
    if (!session || !missed) return this.sendOp(GatewayOpcodes.InvalidSession, false);
    if (session.transport instanceof GatewayConnection) session.transport.close(GatewayCloseCodes.SessionTimedOut, 'Session resumed elsewhere');
    this.session = session;
    for (const text of missed) this.sendText(text);
    session.attach(this);
    session.push(GatewayDispatchEvents.Resumed, {});
  }

  private requestGuildMembers(d: Json): void {
    const session = this.session!;
    const guildId = String(d?.guild_id ?? '');
    const members = this.core.state.members.get(guildId);
    if (!members?.has(session.app.botUserId)) return;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : undefined;
    const userIds = Array.isArray(d.user_ids) ? d.user_ids.map(String) : typeof d.user_ids === 'string' ? [d.user_ids] : undefined;
    if (!userIds && !(session.intents & GatewayIntentBits.GuildMembers)) {
      return this.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    }
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const found = [...members.values()]
      .filter((member) => (userIds ? userIds.includes(member.user_id) : true))
      .filter((member) => !query || this.core.state.users.get(member.user_id)?.username.toLowerCase().startsWith(query))
      .slice(0, limit);
    session.push(GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: guildId,
      members: found.map((member) => memberPayload(this.core.state, member)),
      chunk_index: 0,
      chunk_count: 1,
      not_found: userIds ? userIds.filter((id) => !members.has(id)) : [],
      ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }

  private onClose(): void {
    clearTimeout(this.heartbeatDeadline);
    this.encoder.close();
    this.session?.detach(this);
    this.hub.forget(this);
  }
}

export class GatewayHub {
  url = '';
  private readonly server = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_CLIENT_PAYLOAD });
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<GatewayConnection>();

  constructor(private readonly core: SandboxCore) {}

  /** Upgrades `/gateway?v=10&encoding=json[&compress=zlib-stream]`; other versions or encodings are closed like Discord does. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    if (!url.pathname.startsWith('/gateway')) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const version = url.searchParams.get('v');
      const encoding = url.searchParams.get('encoding') ?? 'json';
      const compress = url.searchParams.get('compress');
      if (version !== '10') return ws.close(GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
      if (encoding !== 'json') return ws.close(GatewayCloseCodes.DecodeError, `Unsupported encoding: ${encoding}`);
      if (compress !== null && compress !== 'zlib-stream') return ws.close(GatewayCloseCodes.DecodeError, 'Unsupported compression');
      this.connections.add(new GatewayConnection(this, this.core, ws, compress === 'zlib-stream'));
    });
  }

  openSession(app: GatewaySession['app'], intents: number, shard: [number, number]): GatewaySession {
    this.sweep();
    const session = new GatewaySession(randomBytes(16).toString('hex'), app, intents, shard);
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: string): GatewaySession | undefined {
    const session = this.sessions.get(id);
    if (session && session.detachedAt && Date.now() - session.detachedAt > RESUME_WINDOW_MS) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  forget(connection: GatewayConnection): void {
    this.connections.delete(connection);
  }

  dispatch({ event, data, guildId, userIds, permission }: Dispatch): void {
    for (const session of this.sessions.values()) {
      const bot = session.app.botUserId;
      const targeted = guildId
        ? onShard(guildId, session.shard) && (userIds ? userIds.includes(bot) : this.core.state.members.get(guildId)?.has(bot))
        : userIds?.includes(bot) && session.shard[0] === 0;
      if (!targeted) continue;
      const intent = requiredIntent(event, guildId !== undefined);
      if (intent && !(session.intents & intent)) continue;
      if (permission && guildId && !this.core.permissions.hasGuild(guildId, bot, permission)) continue;
      session.push(event, applyMessageContentRule(event, data, session.intents, bot));
    }
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** A guild the bot just joined: each of its sessions gets GUILD_CREATE rendered for that session's intents. */
  sendGuildCreate(guildId: string, botUserId: string): void {
    for (const session of this.sessions.values()) {
      if (session.app.botUserId !== botUserId || !onShard(guildId, session.shard)) continue;
      if (session.intents & GatewayIntentBits.Guilds) {
        session.push(GatewayDispatchEvents.GuildCreate, guildCreatePayload(this.core, guildId, botUserId, session.intents));
      }
    }
  }

  /**
   * A guild the bot was removed from: GUILD_DELETE without `unavailable`, which is how Discord tells a removal from
   * an outage. Sent whatever the intents (the Guilds intent's events are the guild's own lifecycle).
   */
  sendGuildDelete(guildId: string, botUserId: string): void {
    for (const session of this.sessions.values()) {
      if (session.app.botUserId !== botUserId || !onShard(guildId, session.shard)) continue;
      if (session.intents & GatewayIntentBits.Guilds) session.push(GatewayDispatchEvents.GuildDelete, { id: guildId });
    }
  }

  /** Cuts every connection without a close frame: clients see 1006 and RESUME. */
  dropConnections(): void {
    for (const connection of this.connections) connection.socket.terminate();
  }

  requestReconnect(): void {
    for (const connection of this.connections) connection.sendOp(GatewayOpcodes.Reconnect, null);
  }

  requestHeartbeat(): void {
    for (const connection of this.connections) connection.sendOp(GatewayOpcodes.Heartbeat, null);
  }

  invalidateSessions(resumable: boolean): void {
    for (const connection of this.connections) {
      if (!resumable && connection.session) this.sessions.delete(connection.session.id);
      connection.sendOp(GatewayOpcodes.InvalidSession, resumable);
    }
  }

  /** Expired detached sessions are dropped when new ones open rather than on a timer. */
  private sweep(): void {
    for (const id of this.sessions.keys()) this.session(id);
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
