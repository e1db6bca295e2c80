// Weekly digest build time for a big server: 100,000 members active in the week (their messages per day, their
// XP per day), a week of hourly statistics over 50 channels, and a week of records, moderation cases, approvals,
// events with attendance, feedback and recognitions. The digest is built end to end as the HTTP API's preview: the
// adapter starts the digest workflow, the worker gathers every feature's section (one activity each) and renders.
import { issueApiToken } from '../src/http/api-tokens.js';
import { createWorld } from '../test/sandbox/world.js';
import { discordEnv } from '../test/support/steward.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { round, summarize, writeResults } from './stats.js';

const MEMBERS = 100_000;
const CHANNELS = 50;
const RUNS = 5;

export async function benchmarkDigest() {
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    members: MEMBERS,
    devServer,
    cluster,
    setup: [
      `One server with ${MEMBERS.toLocaleString('en')} members active in the past week: member_days and xp_days rows for each on 3 of the 7 days,`,
      `hourly statistics for ${CHANNELS} channels, and a week of records (5,000), moderation cases (1,000), approvals (200), events (40, with`,
      `attendance), feedback (5,000, with Q2Q labels) and recognitions (1,000). ${RUNS} builds through POST /digest/preview (the full`,
      `workflow: a section activity per feature, render), one after another. Steward adapters + workers + PostgreSQL ${devServer.postgres} on this machine.`,
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('digest', figures), figures };
}

async function measure({ db, shutdown, startSteward, postgresVersion }: BenchStack) {
  const world = await createWorld();
  shutdown.push('sandbox', () => world.sandbox.close());
  const env = { ...discordEnv(world), LOG_LEVEL: 'warn' };
  const [, adapters] = await Promise.all([startSteward('worker', env), startSteward('adapters', { ...env, LOG_LEVEL: 'info' })]);
  const ready = await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'bench'));

  const seedStarted = performance.now();
  const rows = await seedWeek(db.query.bind(db), world.guildId);
  await db.query('analyze');
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const build = async () => {
    const started = performance.now();
    const response = await fetch(`${String(ready.http)}/api/v1/guilds/${world.guildId}/digest/preview`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { outcome: string; sections: string[]; messages: { embeds: unknown[] }[] };
    if (response.status !== 200 || body.outcome !== 'rendered') throw new Error(`The preview answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { ms: performance.now() - started, body };
  };
  const first = await build();
  const builds = [first.ms];
  for (let run = 1; run < RUNS; run++) builds.push((await build()).ms);

  return {
    rowsSeeded: rows,
    seedSeconds: round(seedSeconds, 1),
    /** POST /digest/preview → the rendered digest back: workflow start, every section's activity, render, result. */
    buildMs: summarize(builds),
    firstBuildMs: round(first.ms),
    sections: first.body.sections,
    messages: first.body.messages.length,
    embeds: first.body.messages.reduce((sum, message) => sum + message.embeds.length, 0),
    postgres: postgresVersion,
  };
}

/** A week of activity written with generate_series: the tables as each feature's store holds them. */
async function seedWeek(query: (sql: string, parameters?: unknown[]) => Promise<unknown[]>, guildId: string): Promise<number> {
  const statements: [string, unknown[]][] = [
    [
      `insert into member_days (guild_id, day, user_id, messages)
       select $1, (now() - (d || ' days')::interval)::date, (100000000000000000 + m)::text, 1 + (m % 40)
       from generate_series(1, $2) as m, generate_series(1, 3) as d`,
      [guildId, MEMBERS],
    ],
    [
      `insert into xp_days (guild_id, day, user_id, xp)
       select $1, (now() - (d || ' days')::interval)::date, (100000000000000000 + m)::text, 15 + (m * 7 + d) % 400
       from generate_series(1, $2) as m, generate_series(1, 3) as d`,
      [guildId, MEMBERS],
    ],
    [
      `insert into member_levels (guild_id, user_id, xp, level, messages)
       select $1, (100000000000000000 + m)::text, 15 + (m * 13) % 20000, 5, 1 + m % 500 from generate_series(1, $2) as m`,
      [guildId, MEMBERS],
    ],
    [
      `insert into channel_hours (guild_id, channel_id, hour, messages, commands, joins, leaves, active_members)
       select $1, (200000000000000000 + c)::text, date_trunc('hour', now()) - (h || ' hours')::interval, 50 + (c * h) % 300, h % 5, 0, 0, 0
       from generate_series(1, $2) as c, generate_series(1, 168) as h
       union all
       select $1, '0', date_trunc('hour', now()) - (h || ' hours')::interval, 0, 0, 5 + h % 20, 1 + h % 4, 800 + h % 600 from generate_series(1, 168) as h`,
      [guildId, CHANNELS],
    ],
    [`insert into subjects (id, guild_id, name) select 'bench-subject-' || s, $1, 'Subject ' || s from generate_series(1, 50) as s`, [guildId]],
    [
      `insert into records (id, guild_id, record_type, description, subject_id, occurred_at, origin, created_by, idempotency_key, created_at)
       select 'bench-record-' || r, $1, 'note', 'A record', 'bench-subject-' || (1 + r % 50), now() - (r % 160 || ' hours')::interval, 'discord', 'bench', 'bench-record-' || r, now() - (r % 160 || ' hours')::interval
       from generate_series(1, 5000) as r`,
      [guildId],
    ],
    [
      `insert into moderation_cases (id, guild_id, number, kind, target_id, source, reason, reason_history, evidence, status, created_at)
       select $1 || ':bench-' || c, $1, c, (array['warn', 'timeout', 'ban', 'kick'])[1 + c % 4], (100000000000000000 + c)::text, (array['manual', 'automod'])[1 + c % 2], 'bench', '[]', '[]', 'applied', now() - (c % 160 || ' hours')::interval
       from generate_series(1, 1000) as c`,
      [guildId],
    ],
    [
      `insert into approval_requests (id, guild_id, case_id, action, target_id, reason, status, created_at)
       select 'approval:' || $1 || ':bench-' || a, $1, 'bench-' || a, '{}', (100000000000000000 + a)::text, 'bench', (array['executed', 'rejected', 'expired'])[1 + a % 3], now() - (a % 160 || ' hours')::interval
       from generate_series(1, 200) as a`,
      [guildId],
    ],
    [
      `insert into events (id, guild_id, event_id, title, description, starts_at, duration_minutes, channel_id, organiser_id, time_zone, status, going)
       select $1 || ':bench-' || e, $1, 'bench-' || e, 'Event ' || e, '', now() - (e * 4 || ' hours')::interval, 60, '200000000000000001', '100000000000000001', 'UTC', 'ended', 20 + e
       from generate_series(1, 40) as e`,
      [guildId],
    ],
    [
      `insert into event_attendance (event_record_id, user_id, answer, checked_in_at)
       select $1 || ':bench-' || e, (100000000000000000 + a)::text, 'going', now() from generate_series(1, 40) as e, generate_series(1, 25) as a`,
      [guildId],
    ],
    [
      `insert into feedback (id, guild_id, tracking_id, user_id, kind, text, analysis_status, analysis, share_status, created_at)
       select $1 || ':bench-' || f, $1, 'FB-' || f, (100000000000000000 + f)::text, 'command', 'Feedback', 'analysed',
              jsonb_build_object('labels', jsonb_build_array((array['community', 'growth', 'skills', 'language'])[1 + f % 4])), 'shared', now() - (f % 160 || ' hours')::interval
       from generate_series(1, 5000) as f`,
      [guildId],
    ],
    [
      `insert into recognitions (id, guild_id, giver_id, volunteer_id, badge, points, achievement, score_before, score_after, created_at)
       select 'bench-' || r, $1, '100000000000000001', (100000000000000000 + r)::text, 'emerging', 5, 'Helped', 0, 5, now() - (r % 160 || ' hours')::interval
       from generate_series(1, 1000) as r`,
      [guildId],
    ],
  ];
  let rows = 0;
  for (const [sql, parameters] of statements) {
    await query(sql, parameters);
    const table = /insert into (\w+)/.exec(sql)![1]!;
    rows += Number(((await query(`select count(*) as count from ${table}`)) as { count: string }[])[0]!.count);
  }
  return rows;
}
