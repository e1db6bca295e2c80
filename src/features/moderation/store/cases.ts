// Cases and points through the ORM: numbering under a row lock, points that decay under a row lock, so concurrent
// cases about one server or member never share a number or lose a warning.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { DEFAULT_AUTOMOD_RULES } from '../automod/rules.js';
import { DEFAULT_DECAY, DEFAULT_LADDER, decayedBalance, type Decay } from '../../../../workflows/moderation/ladder.js';
import type { CaseRequest, CaseStatus, LoggedCaseKind } from '../../../../workflows/moderation/messages.js';
import {
  CaseCounterSchema,
  MemberPointsSchema,
  ModerationCaseSchema,
  ModerationSettingsSchema,
  type ModerationCase,
  type ModerationSettings,
  type TimelineEntry,
} from './entities.js';

export type ModerationSettingsInput = Omit<ModerationSettings, 'guildId' | 'updatedAt'>;

/** A server that never saved settings moderates with the defaults. */
export async function moderationSettings(em: EntityManager, guildId: string): Promise<ModerationSettingsInput> {
  const saved = await em.findOne(ModerationSettingsSchema, { guildId });
  return (
    saved ?? {
      moderatorRoleIds: [],
      directActionRoleIds: [],
      ladder: DEFAULT_LADDER,
      decayIntervalSeconds: DEFAULT_DECAY.intervalSeconds,
      muteRoleId: null,
      automod: DEFAULT_AUTOMOD_RULES,
    }
  );
}

export async function saveModerationSettings(em: EntityManager, guildId: string, settings: ModerationSettingsInput): Promise<ModerationSettingsInput> {
  await em.upsert(ModerationSettingsSchema, { guildId, ...settings, updatedAt: new Date() }, { disableIdentityMap: true });
  return moderationSettings(em, guildId);
}

/** Servers with automatic moderation on, for the adapter's in-memory copy. */
export async function automodServers(em: EntityManager): Promise<ModerationSettings[]> {
  return em.find(ModerationSettingsSchema, { automod: { enabled: true } } as never);
}

/**
 * Opens the case for `request`, or returns the one its key already opened. The server's counter row is locked, so
 * numbers follow one another without gaps or duplicates. Call inside a transaction.
 */
export async function openCase(em: EntityManager, request: Omit<CaseRequest, 'kind'> & { kind: LoggedCaseKind; timeline?: TimelineEntry[] }, status: CaseStatus): Promise<ModerationCase> {
  const id = `${request.guildId}:${request.key}`;
  const existing = await em.findOne(ModerationCaseSchema, { id });
  if (existing) return existing;
  await em.upsert(CaseCounterSchema, { guildId: request.guildId, last: 0 }, { onConflictAction: 'ignore', disableIdentityMap: true });
  const counter = await em.findOneOrFail(CaseCounterSchema, { guildId: request.guildId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  counter.last += 1;
  const now = new Date();
  const created = em.create(ModerationCaseSchema, {
    id,
    guildId: request.guildId,
    number: counter.last,
    kind: request.kind,
    targetId: request.targetId,
    moderatorId: request.moderatorId ?? null,
    source: request.source,
    reason: request.reason,
    reasonHistory: [],
    evidence: request.evidence,
    points: request.kind === 'warn' ? (request.points ?? 1) : 0,
    balanceAfter: null,
    durationSeconds: request.durationSeconds ?? null,
    expiresAt: request.durationSeconds ? new Date(now.getTime() + request.durationSeconds * 1000) : null,
    status,
    approvalCaseId: null,
    timeline: request.timeline ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return created;
}

export async function findCase(em: EntityManager, guildId: string, number: number): Promise<ModerationCase | null> {
  return em.findOne(ModerationCaseSchema, { guildId, number });
}

export async function caseById(em: EntityManager, id: string): Promise<ModerationCase | null> {
  return em.findOne(ModerationCaseSchema, { id });
}

export async function casesOf(em: EntityManager, guildId: string, targetId: string, limit = 25): Promise<ModerationCase[]> {
  return em.find(ModerationCaseSchema, { guildId, targetId }, { orderBy: { number: 'desc' }, limit });
}

export async function updateCase(
  em: EntityManager,
  id: string,
  patch: Partial<Pick<ModerationCase, 'status' | 'approvalCaseId' | 'kind' | 'durationSeconds' | 'expiresAt' | 'timeline'>>,
): Promise<ModerationCase> {
  const found = await em.findOneOrFail(ModerationCaseSchema, { id });
  em.assign(found, { ...patch, updatedAt: new Date() });
  await em.flush();
  return found;
}

/** Replaces the reason, keeping the one it replaces with who amended it and when. */
export async function amendReason(em: EntityManager, guildId: string, number: number, reason: string, by: string): Promise<ModerationCase | null> {
  const found = await em.findOne(ModerationCaseSchema, { guildId, number });
  if (!found) return null;
  if (found.reason === reason) return found;
  found.reasonHistory = [...found.reasonHistory, { reason: found.reason, by, at: new Date().toISOString() }];
  found.reason = reason;
  found.updatedAt = new Date();
  await em.flush();
  return found;
}

/**
 * Adds a warning's points to the member's decayed balance, once per case (the case's `points` are applied when the
 * balance is written in the same transaction as the mark). Returns the balance before and after.
 */
export async function addWarningPoints(
  em: EntityManager,
  input: { guildId: string; memberId: string; caseId: string; points: number; at: Date; decay: Decay },
): Promise<{ before: number; after: number }> {
  const { guildId, memberId } = input;
  await em.upsert(MemberPointsSchema, { guildId, memberId, balance: 0, balanceAt: input.at }, { onConflictAction: 'ignore', disableIdentityMap: true });
  const row = await em.findOneOrFail(MemberPointsSchema, { guildId, memberId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const warning = await em.findOneOrFail(ModerationCaseSchema, { id: input.caseId });
  const before = decayedBalance(row.balance, row.balanceAt.getTime(), input.at.getTime(), input.decay);
  if (warning.balanceAfter !== null && warning.balanceAfter !== undefined) return { before: warning.balanceAfter - input.points, after: warning.balanceAfter };
  row.balance = before + input.points;
  row.balanceAt = input.at;
  warning.balanceAfter = row.balance;
  warning.status = 'applied';
  warning.updatedAt = new Date();
  await em.flush();
  return { before, after: row.balance };
}

export async function memberBalance(em: EntityManager, guildId: string, memberId: string, at: Date, decay: Decay): Promise<number> {
  const row = await em.findOne(MemberPointsSchema, { guildId, memberId });
  return row ? decayedBalance(row.balance, row.balanceAt.getTime(), at.getTime(), decay) : 0;
}

/** The newest applied case of these kinds about the member: a timed end only acts if it is still the one in force. */
export async function latestCaseOf(em: EntityManager, guildId: string, targetId: string, kinds: string[]): Promise<ModerationCase | null> {
  return em.findOne(ModerationCaseSchema, { guildId, targetId, kind: { $in: kinds }, status: 'applied' }, { orderBy: { number: 'desc' } });
}
