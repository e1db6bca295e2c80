// The shared heart of one sandbox: state, permission checks, the event bus, and the path from state changes to dispatches.
import { EventEmitter } from 'node:events';
import type { Json } from './payloads.js';
import { Permissions } from './permissions.js';
import { SandboxState, type StatePersistence } from './state.js';

export interface SandboxConfig {
  interactionDeadlineMs: number;
  heartbeatIntervalMs: number;
  /** How long a message nonce with `enforce_nonce` answers retries ("the past few minutes", Discord says). */
  nonceWindowMs: number;
}

export interface RestLogEntry {
  method: string;
  /** Route template, e.g. `POST /channels/:channel_id/messages`'s `/channels/:channel_id/messages`. */
  route: string;
  path: string;
  status: number;
  timestamp: number;
  durationMs: number;
  auditLogReason?: string;
  errorCode?: number;
  body?: unknown;
}

export interface MessageEvent {
  action: 'create' | 'update' | 'delete';
  message: Json;
  /** Set for ephemeral messages: the only user who sees them. */
  ephemeralFor?: string;
}

export interface InteractionResponseEvent {
  interactionId: string;
  type: number;
  data?: Json;
}

export interface SandboxEvents {
  rest: [RestLogEntry];
  message: [MessageEvent];
  interactionResponse: [InteractionResponseEvent];
  interactionFailed: [{ interactionId: string; userId: string }];
  dispatch: [{ event: string; data: Json }];
}

/** A gateway event and who should receive it: sessions of bots in `guildId`, or of the bots in `userIds`. */
export interface Dispatch {
  event: string;
  data: Json;
  guildId?: string;
  userIds?: string[];
  /** Only bots holding this guild permission receive it (GUILD_AUDIT_LOG_ENTRY_CREATE needs VIEW_AUDIT_LOG). */
  permission?: bigint;
}

/** What the core needs of the gateway (its hub), declared here so the two modules do not import each other. */
export interface GatewayOutlet {
  dispatch(dispatch: Dispatch): void;
  sendGuildCreate(guildId: string, botUserId: string): void;
  sendGuildDelete(guildId: string, botUserId: string): void;
}

export class SandboxCore {
  readonly state = new SandboxState();
  readonly permissions = new Permissions(this.state);
  readonly events = new EventEmitter<SandboxEvents>();
  gateway!: GatewayOutlet;
  persistence?: StatePersistence;

  constructor(readonly config: SandboxConfig) {
    this.events.setMaxListeners(0);
  }

  dispatch(dispatch: Dispatch): void {
    this.gateway.dispatch(dispatch);
    if (this.events.listenerCount('dispatch') > 0) this.events.emit('dispatch', { event: dispatch.event, data: dispatch.data });
    this.changed();
  }

  changed(): void {
    this.persistence?.schedule();
  }
}
