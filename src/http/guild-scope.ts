// Who may call /api/v1/guilds/:guildId/...: a bearer API token issued for that very server.
import { Router, type RequestHandler, type Response } from 'express';
import type { Database } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { authenticateToken, type TokenCaller } from './api-tokens.js';
import { HttpError } from './errors.js';
import { storeErrors } from './request.js';

export const GUILD_PATH = '/api/v1/guilds/:guildId';

const CHALLENGE = 'Bearer realm="steward"';

export function requireGuildToken(database: Database, logger: Logger): RequestHandler {
  return async (request, response, next) => {
    const token = /^Bearer +(\S+) *$/i.exec(request.header('authorization') ?? '')?.[1];
    if (!token) {
      response.setHeader('www-authenticate', CHALLENGE);
      throw new HttpError(401, 'unauthorized', 'An API token is required: Authorization: Bearer <token>.');
    }
    const caller = await authenticateToken(database.fork(), token);
    if (!caller) {
      response.setHeader('www-authenticate', `${CHALLENGE}, error="invalid_token"`);
      throw new HttpError(401, 'unauthorized', 'The API token is unknown or revoked.');
    }
    if (caller.guildId !== request.params.guildId) {
      // A valid token aimed at another server is a misconfigured client or a probe: worth a line in the log.
      logger.warn({ tokenId: caller.tokenId, guildId: request.params.guildId }, 'API token used for another server');
      throw new HttpError(403, 'forbidden', 'The API token belongs to another server.');
    }
    response.locals.caller = caller;
    next();
  };
}

/** The token's caller, set by requireGuildToken for every route under GUILD_PATH. */
export function callerOf(response: Response): TokenCaller {
  return response.locals.caller as TokenCaller;
}

/**
 * Every feature's routes under GUILD_PATH behind one token check (once per request, whatever the number of
 * features), with store failures turned into the one error shape.
 */
export function guildApi(database: Database, logger: Logger, routers: readonly Router[]): Router {
  const api = Router();
  api.use(GUILD_PATH, requireGuildToken(database, logger));
  api.use(...routers);
  api.use(storeErrors);
  return api;
}
