// POST /discord/interactions: the serverless-style way in. Discord signs every delivery with Ed25519 over
// timestamp + body; an unsigned or stale request is refused before anything is parsed.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import express, { Router } from 'express';
import { REST } from '@discordjs/rest';
import { z } from 'zod';
import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { HttpError } from '../http/errors.js';
import type { InteractionDispatcher } from './dispatch.js';
import { httpResponder } from './responder.js';

/** DER prefix that turns a raw 32-byte Ed25519 public key into an SPKI structure node:crypto accepts. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Deliveries older than this are replays, not Discord retries. */
const MAX_SKEW_SECONDS = 300;

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export function isValidSignature(key: KeyObject, body: Buffer, signature: string, timestamp: string, now = Date.now()): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp), body]), key, Buffer.from(signature, 'hex'));
}

export interface InteractionsEndpointOptions {
  publicKey: string;
  dispatch: InteractionDispatcher;
  /** Base of the REST API for follow-up edits (Discord's own by default). */
  restApi?: string;
}

export function interactionsEndpoint({ publicKey, dispatch, restApi }: InteractionsEndpointOptions): Router {
  const key = publicKeyFromHex(publicKey);
  const rest = new REST({ version: '10', ...(restApi ? { api: restApi } : {}) });
  const router = Router();
  router.post('/discord/interactions', express.raw({ type: () => true, limit: '1mb' }), async (request, response) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signature = request.header('x-signature-ed25519') ?? '';
    const timestamp = request.header('x-signature-timestamp') ?? '';
    if (!isValidSignature(key, body, signature, timestamp)) {
      throw new HttpError(401, 'invalid_signature', 'The request signature is invalid.');
    }
    const interaction = parseInteraction(body);
    if (interaction.type === InteractionType.Ping) {
      response.json({ type: 1 });
      return;
    }
    const { responder, initial } = httpResponder(rest, { ...interaction, applicationId: interaction.application_id });
    void dispatch(interaction, responder);
    response.json(await initial);
  });
  return router;
}

const interactionShape = z.looseObject({
  id: z.string().regex(/^\d{1,20}$/),
  application_id: z.string().regex(/^\d{1,20}$/),
  type: z.number().int(),
  token: z.string().min(1),
});

/** A signed body is Discord's, but it is still checked: anything that is not an interaction gets a 400. */
function parseInteraction(body: Buffer): APIInteraction {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
  const parsed = interactionShape.safeParse(json);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'invalid_body',
      'The body is not a Discord interaction.',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return parsed.data as unknown as APIInteraction;
}
