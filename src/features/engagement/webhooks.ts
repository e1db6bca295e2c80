// The volunteer platform's signed webhooks: milestones (crossings worked out here, each celebrated once), buddy
// matches and SLA breaches. Mounted before JSON parsing: the signature is checked over the raw body first (401 for
// a missing, wrong or stale one), then the body (400 with every problem).
import { Router } from 'express';
import { z } from 'zod';
import { buddyMatchWorkflowId, platformAlertWorkflowId } from '../../../workflows/engagement/messages.js';
import { MILESTONE_METRICS, type MilestoneMetric } from '../../../workflows/engagement/milestones.js';
import { introduceBuddies, reportPlatformAlert } from '../../../workflows/engagement/platform-workflows.js';
import type { Database } from '../../db/database.js';
import { parseBody } from '../../http/errors.js';
import { signedJson } from '../../http/signed-webhooks.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import type { CelebrationOutbox } from './celebration-outbox.js';
import type { EngagementEnv } from './env.js';
import { recordMilestoneUpdate } from './store/milestones.js';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');
const key = z.string().regex(/^[\w.:-]{1,80}$/, '1–80 letters, digits and . : _ -');

const milestoneSchema = z
  .strictObject({
    guild_id: snowflake,
    program_id: key,
    program_name: z.string().trim().min(1).max(200),
    /** When the platform measured these values: what orders updates. */
    observed_at: z.iso.datetime({ offset: true }),
    hours: z.number().finite().min(0).max(1e9).optional(),
    sroi: z.number().finite().min(0).max(1e6).optional(),
    volunteers: z.number().int().min(0).max(1e9).optional(),
  })
  .refine((body) => MILESTONE_METRICS.some((metric) => body[metric] !== undefined), { message: 'give at least one of hours, sroi, volunteers' });

const buddyMatchSchema = z
  .strictObject({
    guild_id: snowflake,
    match_id: key,
    member_ids: z.tuple([snowflake, snowflake]),
    program_name: z.string().trim().min(1).max(200).optional(),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((body) => body.member_ids[0] !== body.member_ids[1], { message: 'a buddy match names two different members', path: ['member_ids'] });

const slaBreachSchema = z.strictObject({
  guild_id: snowflake,
  breach_id: key,
  title: z.string().trim().min(1).max(200),
  detail: z.string().trim().min(1).max(1500),
  url: z.url().optional(),
});

export interface WebhookDependencies {
  database: Database;
  flows: FlowStarter;
  settings: EngagementEnv;
  /** Where crossings wait to be celebrated: nudged after each commit that wrote some. */
  outbox: CelebrationOutbox;
}

export function platformWebhooks({ database, flows, settings, outbox }: WebhookDependencies): Router {
  const router = Router();
  const signed = signedJson({ secret: settings.webhookSecret, toleranceSeconds: settings.webhookToleranceSeconds, limit: 64 * 1024 });

  router.post('/webhooks/milestones', signed, async (request, response) => {
    const body = parseBody(milestoneSchema, request.body);
    const values = Object.fromEntries(MILESTONE_METRICS.flatMap((metric) => (body[metric] === undefined ? [] : [[metric, body[metric]]]))) as Partial<Record<MilestoneMetric, number>>;
    const update = { guildId: body.guild_id, programId: body.program_id, programName: body.program_name, observedAt: new Date(body.observed_at), values };
    const outcome = await recordMilestoneUpdate(database, update);
    // The crossings are committed as the outbox's rows: the answer need not wait for Temporal.
    if (outcome.crossings.length > 0) outbox.nudge();
    response.status(200).json({ celebrations: outcome.crossings, baselines: outcome.baselines, ignored: outcome.ignored });
  });

  router.post('/webhooks/buddy-matches', signed, async (request, response) => {
    const body = parseBody(buddyMatchSchema, request.body);
    const { started } = await flows.start(introduceBuddies, {
      workflowId: buddyMatchWorkflowId(body.guild_id, body.match_id),
      args: [{ guildId: body.guild_id, matchId: body.match_id, memberIds: body.member_ids, programName: body.program_name ?? null, note: body.note ?? null }],
      kind: 'buddy-match',
      guildId: body.guild_id,
      summary: `Introduces ${body.member_ids.length} buddies${body.program_name ? ` of ${body.program_name}` : ''} (match ${body.match_id})`,
      memberIds: body.member_ids,
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    response.status(202).json({ match_id: body.match_id, duplicate: !started });
  });

  router.post('/webhooks/sla-breaches', signed, async (request, response) => {
    const body = parseBody(slaBreachSchema, request.body);
    const { started } = await flows.start(reportPlatformAlert, {
      workflowId: platformAlertWorkflowId(body.guild_id, body.breach_id),
      args: [{ guildId: body.guild_id, alertId: body.breach_id, title: body.title, detail: body.detail, url: body.url ?? null }],
      kind: 'platform-alert',
      guildId: body.guild_id,
      summary: `Reports the platform's SLA breach: ${body.title}`.slice(0, 200),
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    response.status(202).json({ breach_id: body.breach_id, duplicate: !started });
  });

  return router;
}
