// /subjects: the catalogue of things records are about (the team's machines).
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import { createSubject, deleteSubject, listSubjects } from '../store/subjects.js';
import { parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { subjectJson } from './json.js';

const subjectBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

export function subjectRoutes(database: Database): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/subjects`, async (_request, response) => {
    const subjects = await listSubjects(database.fork(), callerOf(response).guildId);
    response.json({ subjects: subjects.map(subjectJson) });
  });

  router.post(`${GUILD_PATH}/subjects`, async (request, response) => {
    const { name } = parseBody(subjectBody, request.body);
    const subject = await database.transaction((em) => createSubject(em, callerOf(response).guildId, name));
    response.status(201).json(subjectJson(subject));
  });

  router.delete(`${GUILD_PATH}/subjects/:subjectId`, async (request, response) => {
    await database.transaction((em) => deleteSubject(em, callerOf(response).guildId, request.params.subjectId));
    response.status(204).end();
  });

  return router;
}
