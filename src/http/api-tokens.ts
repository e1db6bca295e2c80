// API tokens, one server each. Only the SHA-256 of a token is stored: the plaintext is shown once, at issue.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '../db/database.js';

/** Tokens for the HTTP API, one server each; only a SHA-256 hash is stored. */
export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.string().length(64).primary(),
    guildId: p.string().length(20).index(),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().defaultRaw('now()'),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiToken = InferEntity<typeof ApiTokenSchema>;

const TOKEN_PREFIX = 'stw_';

export interface IssuedApiToken {
  id: string;
  guildId: string;
  name: string;
  /** The plaintext; it cannot be recovered later. */
  token: string;
}

export interface TokenCaller {
  guildId: string;
  tokenId: string;
  name: string;
}

export async function issueApiToken(em: EntityManager, guildId: string, name: string): Promise<IssuedApiToken> {
  // The prefix lets secret scanners and people recognise a leaked Steward token.
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await em.insert(ApiTokenSchema, { id, guildId, name, tokenHash: hashToken(token) });
  return { id, guildId, name, token };
}

/** The caller a token stands for, or undefined when it is unknown or revoked. */
export async function authenticateToken(em: EntityManager, token: string): Promise<TokenCaller | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await em.findOne(ApiTokenSchema, { tokenHash: hashToken(token), revokedAt: null });
  return row ? { guildId: row.guildId, tokenId: row.id, name: row.name } : undefined;
}

/** True when a live token was revoked; revoking twice is harmless. */
export async function revokeApiToken(em: EntityManager, guildId: string, tokenId: string): Promise<boolean> {
  return (await em.nativeUpdate(ApiTokenSchema, { id: tokenId, guildId, revokedAt: null }, { revokedAt: new Date() })) > 0;
}

/** A plain hash is enough: the token has 256 random bits, so there is nothing to guess or stretch. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
