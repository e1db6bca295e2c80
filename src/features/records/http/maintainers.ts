// /maintainers and /maintainer-links: the people records are attributed to, and which Discord account is whom.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import { createMaintainer, findLink, linkMaintainer, listMaintainers } from '../store/maintainers.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { maintainerJson, maintainerLinkJson } from './json.js';
import { parseRequestPart } from '../../../http/request.js';

const name = z.string().trim().min(1).max(100);

const maintainerBody = z.strictObject({ name, aliases: z.array(name).max(20).default([]) });

const linkBody = z.strictObject({ maintainer_id: z.string().min(1).max(64) });

const linkPath = z.object({ discordUserId: z.string().regex(/^\d{17,20}$/, 'a Discord snowflake (17–20 digits)') });

export function maintainerRoutes(database: Database): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/maintainers`, async (_request, response) => {
    const maintainers = await listMaintainers(database.fork(), callerOf(response).guildId);
    response.json({ maintainers: maintainers.map(maintainerJson) });
  });

  router.post(`${GUILD_PATH}/maintainers`, async (request, response) => {
    const input = parseBody(maintainerBody, request.body);
    const maintainer = await database.transaction((em) => createMaintainer(em, callerOf(response).guildId, input));
    response.status(201).json(maintainerJson(maintainer));
  });

  router.get(`${GUILD_PATH}/maintainer-links/:discordUserId`, async (request, response) => {
    const { discordUserId } = parseRequestPart('path', linkPath, request.params);
    const link = await findLink(database.fork(), callerOf(response).guildId, discordUserId);
    if (!link) {
      throw new HttpError(404, 'maintainer_link_not_found', 'This Discord user is not linked to a maintainer.');
    }
    response.json(maintainerLinkJson(link));
  });

  /** A link set here is `manual`: a later name match during a review never replaces it. */
  router.put(`${GUILD_PATH}/maintainer-links/:discordUserId`, async (request, response) => {
    const { discordUserId } = parseRequestPart('path', linkPath, request.params);
    const { maintainer_id: maintainerId } = parseBody(linkBody, request.body);
    const link = await database.transaction((em) =>
      linkMaintainer(em, callerOf(response).guildId, discordUserId, maintainerId, 'manual'),
    );
    response.json(maintainerLinkJson(link));
  });

  return router;
}
