// The records HTTP API over a real socket and a real PostgreSQL database: bearer tokens per server, idempotent
// creates, validation details, paging, the subject catalogue and maintainer links.
import { guildApi } from '../../src/http/guild-scope.js';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { createHttpApp } from '../../src/http/app.js';
import { recordsApiRoutes } from '../../src/features/records/http/index.js';
import { listen, type RunningHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { issueApiToken, revokeApiToken } from '../../src/http/api-tokens.js';
import { createMaintainer, linkMaintainer } from '../../src/features/records/store/maintainers.js';
import { createRecord, recordedMessageIds } from '../../src/features/records/store/records.js';
import { recordSettings } from '../../src/features/records/store/settings.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
/** Records for the paging test only, so other tests' records never shift its pages. */
const PAGING_GUILD = '100000000000000003';

let db: TestDatabase;
let server: RunningHttpServer;
const tokens = { guild: '', other: '', paging: '', revoked: '' };
const notified: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const issue = (guildId: string, name: string) => db.database.transaction((em) => issueApiToken(em, guildId, name));
  tokens.guild = (await issue(GUILD, 'ci')).token;
  tokens.other = (await issue(OTHER_GUILD, 'other')).token;
  tokens.paging = (await issue(PAGING_GUILD, 'paging')).token;
  const revoked = await issue(GUILD, 'old');
  await db.database.transaction((em) => revokeApiToken(em, GUILD, revoked.id));
  tokens.revoked = revoked.token;

  const logger = createLogger({ level: 'silent' });
  const onRecordCreated = async (record: { id: string }) => {
    notified.push(record.id);
  };
  const app = createHttpApp({
    logger,
    metrics: new Metrics(),
    bodyLimit: '100kb',
    routers: [guildApi(db.database, logger, [recordsApiRoutes({ database: db.database, logger, onRecordCreated })])],
  });
  server = await listen(app, '127.0.0.1', 0);
});

afterAll(async () => {
  await server.close();
  await db.drop();
});

interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[]; requestId: string };
}

interface RecordBody {
  id: string;
  record_type: string;
  description: string;
  subject_id: string | null;
  parent_id: string | null;
  occurred_at: string;
  origin: string;
  created_by: string;
  sources: { message_id: string; channel_id: string }[];
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  { token = tokens.guild, guild = GUILD, body, headers = {} }: CallOptions = {},
): Promise<Answer<T>> {
  const response = await fetch(`${server.url}/api/v1/guilds/${guild}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

interface RecordPage {
  records: RecordBody[];
  next_before: string | null;
}

interface CallOptions {
  token?: string;
  guild?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const detailPaths = (answer: Answer<ErrorBody>) => answer.body.error.details?.map((detail) => detail.path);

const postRecord = (body: object, options: CallOptions = {}) =>
  call<RecordBody & ErrorBody>('POST', '/records', { ...options, body });

async function newSubject(name: string, guild = GUILD, token = tokens.guild): Promise<string> {
  const answer = await call<{ id: string }>('POST', '/subjects', { guild, token, body: { name } });
  expect(answer.status).toBe(201);
  return answer.body.id;
}

describe('authentication', () => {
  test('no token or a malformed header: 401 with a Bearer challenge', async () => {
    const malformed: Record<string, string>[] = [{ authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }];
    for (const headers of [{}, ...malformed]) {
      const answer = await call<ErrorBody>('GET', '/records', { token: '', headers });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="steward"');
      expect(answer.body.error).toMatchObject({ code: 'unauthorized' });
      expect(answer.body.error.requestId).toBe(answer.headers.get('x-request-id'));
    }
  });

  test('an unknown or revoked token: 401 invalid_token', async () => {
    for (const token of ['stw_not-a-real-token', 'not-even-the-prefix', tokens.revoked]) {
      const answer = await call<ErrorBody>('GET', '/records', { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="steward", error="invalid_token"');
      expect(answer.body.error.code).toBe('unauthorized');
    }
  });

  test("another server's token: 403", async () => {
    const answer = await call<ErrorBody>('GET', '/records', { token: tokens.other });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
    expect((await call('GET', '/records', { token: tokens.other, guild: OTHER_GUILD })).status).toBe(200);
  });

  test('tokens are stored only as their SHA-256', async () => {
    expect(tokens.guild).toMatch(/^stw_[\w-]{43}$/);
    const rows = await db.query<{ token_hash: string }>('select * from api_tokens');
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain(tokens.guild.slice(4));
    const hash = createHash('sha256').update(tokens.guild).digest('hex');
    expect(rows.map((row) => row.token_hash)).toContain(hash);
  });

  test('the operator CLI prints a working token once and stores its hash; it revokes it again', async () => {
    const run = promisify(execFile);
    const args = ['--import', 'tsx', 'src/http/api-token-cli.ts'];
    const env = { ...process.env, DATABASE_URL: db.url };
    const { stdout, stderr } = await run(process.execPath, [...args, 'issue', GUILD, 'cli token'], { env });
    const token = stdout.trim();
    expect(token).toMatch(/^stw_[\w-]{43}$/);
    expect((await call('GET', '/subjects', { token })).status).toBe(200);
    const [row] = await db.query('select name from api_tokens where token_hash = $1', [
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect(row).toEqual({ name: 'cli token' });

    const tokenId = /Issued API token (\S+)/.exec(stderr)?.[1] as string;
    await run(process.execPath, [...args, 'revoke', GUILD, tokenId], { env });
    expect((await call('GET', '/subjects', { token })).status).toBe(401);
    // Revoking again says there is no live token, and fails.
    await expect(run(process.execPath, [...args, 'revoke', GUILD, tokenId], { env })).rejects.toMatchObject({ code: 1 });
    await expect(run(process.execPath, [...args, 'issue', 'not-a-guild', 'x'], { env })).rejects.toMatchObject({ code: 64 });
  });
});

describe('creating records', () => {
  test('201 first, then 200 with the same record for the same Idempotency-Key; one row', async () => {
    const headers = { 'idempotency-key': 'create-once-1' };
    const body = { record_type: 'log_entry', description: '  Oiled the chain  ', occurred_at: '2025-03-01T08:00:00Z' };
    const first = await postRecord(body, { headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      record_type: 'log_entry',
      description: 'Oiled the chain',
      subject_id: null,
      parent_id: null,
      occurred_at: '2025-03-01T08:00:00.000Z',
      origin: 'api',
      created_by: 'ci',
      sources: [],
    });
    const repeat = await postRecord(body, { headers });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    const rows = await db.query('select id from records where idempotency_key like $1', ['%:create-once-1']);
    expect(rows).toEqual([{ id: first.body.id }]);
    expect(notified.filter((id) => id === first.body.id)).toHaveLength(2);

    const fetched = await call<RecordBody>('GET', `/records/${first.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(first.body);
  });

  test('concurrent requests with one key make one record', async () => {
    const headers = { 'idempotency-key': 'race-1' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postRecord({ record_type: 'log_entry', description: 'race' }, { headers })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await db.query('select 1 from records where idempotency_key like $1', ['%:race-1'])).toHaveLength(1);
  });

  test('a key reused for a different record is refused; keys are per server', async () => {
    const headers = { 'idempotency-key': 'reused' };
    expect((await postRecord({ record_type: 'log_entry', description: 'one' }, { headers })).status).toBe(201);
    const reused = await postRecord({ record_type: 'log_entry', description: 'two' }, { headers });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    const elsewhere = await postRecord(
      { record_type: 'log_entry', description: 'two' },
      { headers, guild: OTHER_GUILD, token: tokens.other },
    );
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.description).toBe('two');
  });

  test('a child under a parent that accepts it', async () => {
    const subjectId = await newSubject('Press');
    const parent = await postRecord({ record_type: 'part_request', description: 'Need a belt', subject_id: subjectId });
    expect(parent.status).toBe(201);
    const update = { record_type: 'part_request_update', description: 'Ordered', parent_id: parent.body.id };
    const child = await postRecord(update);
    expect(child.status).toBe(201);
    expect(child.body.parent_id).toBe(parent.body.id);
  });

  test('validation errors name every bad field', async () => {
    const subjectId = await newSubject('Drill');
    const cases: [object, string[]][] = [
      [{ record_type: 'haiku', description: 'x' }, ['record_type']],
      [{ record_type: 'part_request_update', description: 'Shipped' }, ['parent_id']],
      [{ record_type: 'log_entry', description: 'x'.repeat(1001) }, ['description']],
      [{ record_type: 'log_entry', description: '   ' }, ['description']],
      [{ record_type: 'log_entry', description: 'x', subject_id: 'no-such-subject' }, ['subject_id']],
      [{ record_type: 'problem_report', description: 'Broken' }, ['subject_id']],
      [{ record_type: 'log_entry', description: 'x', parent_id: 'no-such-record' }, ['parent_id']],
      [{ record_type: 'log_entry', description: 'x', occurred_at: 'yesterday' }, ['occurred_at']],
      [{ record_type: 'log_entry', description: 'x', source_message_ids: ['1'] }, ['']],
      [{ record_type: 'haiku', description: 'x', subject_id: 'nope' }, ['record_type', 'subject_id']],
    ];
    for (const [body, paths] of cases) {
      const answer = await postRecord(body);
      expect({ body, status: answer.status, code: answer.body.error.code }).toEqual({
        body,
        status: 400,
        code: 'invalid_body',
      });
      expect(detailPaths(answer)?.sort()).toEqual(paths);
    }

    const problem = await postRecord({ record_type: 'problem_report', description: 'Wobbles', subject_id: subjectId });
    const misplaced = await postRecord({
      record_type: 'part_request_update',
      description: 'x',
      parent_id: problem.body.id,
    });
    expect(misplaced.body.error.details).toEqual([
      { path: 'record_type', message: 'a part_request_update cannot be filed under a problem_report' },
    ]);

    const foreignParent = await postRecord(
      { record_type: 'log_entry', description: 'x', parent_id: problem.body.id },
      { guild: OTHER_GUILD, token: tokens.other },
    );
    expect(detailPaths(foreignParent)).toEqual(['parent_id']);

    const headers = { 'idempotency-key': 'a b' };
    const badKey = await postRecord({ record_type: 'log_entry', description: 'x' }, { headers });
    expect(badKey.body.error.code).toBe('invalid_idempotency_key');
  });

  test("another server's record is not found", async () => {
    const mine = await postRecord({ record_type: 'log_entry', description: 'private' });
    const other = { guild: OTHER_GUILD, token: tokens.other };
    const answer = await call<ErrorBody>('GET', `/records/${mine.body.id}`, other);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('record_not_found');
  });

  test('records written by the store for a review keep their sources', async () => {
    const recordTypes = (await db.database.transaction((em) => recordSettings(em, GUILD))).recordTypes;
    const input = {
      id: 'review-record-1',
      guildId: GUILD,
      recordType: 'log_entry',
      description: 'From Discord',
      occurredAt: new Date('2025-03-02T10:00:00.000Z'),
      origin: 'discord' as const,
      createdBy: '200000000000000001',
      idempotencyKey: `review:${GUILD}:300000000000000001:0`,
      sources: [
        { messageId: '300000000000000001', channelId: '400000000000000001' },
        { messageId: '300000000000000002', channelId: '400000000000000001' },
      ],
    };
    const first = await db.database.transaction((em) => createRecord(em, input, recordTypes));
    const retry = await db.database.transaction((em) =>
      createRecord(em, { ...input, id: 'review-record-2' }, recordTypes),
    );
    expect([first.created, retry.created]).toEqual([true, false]);
    expect(retry.record).toEqual(first.record);

    const fetched = await call<RecordBody>('GET', '/records/review-record-1');
    expect(fetched.body.sources).toEqual([
      { message_id: '300000000000000001', channel_id: '400000000000000001' },
      { message_id: '300000000000000002', channel_id: '400000000000000001' },
    ]);
    const recorded = await db.database.transaction((em) =>
      recordedMessageIds(em, GUILD, ['300000000000000002', '300000000000000009']),
    );
    expect(recorded).toEqual(['300000000000000002']);
  });
});

describe('listing records', () => {
  const paging = (): CallOptions => ({ guild: PAGING_GUILD, token: tokens.paging });

  test('newest first, in pages that neither overlap nor skip', async () => {
    const subjectId = await newSubject('Saw', PAGING_GUILD, tokens.paging);
    // Two records share a time: the id breaks the tie, so the page boundary can fall between them.
    const times = ['2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z', '2025-01-02T00:00:00Z', '2025-01-03T00:00:00Z'];
    const ids: string[] = [];
    for (const [index, occurred_at] of times.entries()) {
      const type =
        index === 0
          ? { record_type: 'problem_report', subject_id: subjectId }
          : { record_type: 'log_entry' };
      const answer = await postRecord({ ...type, description: `r${index}`, occurred_at }, paging());
      expect(answer.status).toBe(201);
      ids.push(answer.body.id);
    }

    const seen: string[] = [];
    let before: string | null = null;
    do {
      const query: string = before ? `?limit=3&before=${before}` : '?limit=3';
      const page = await call<RecordPage>('GET', `/records${query}`, paging());
      expect(page.status).toBe(200);
      seen.push(...page.body.records.map((record) => record.description));
      before = page.body.next_before;
    } while (before);
    const [tieFirst, tieSecond] = [ids[1], ids[3]].sort().reverse();
    const byId = (id: string | undefined) => `r${ids.indexOf(id ?? '')}`;
    expect(seen).toEqual([byId(tieFirst), byId(tieSecond), 'r2', 'r0']);

    const filtered = await call<{ records: RecordBody[] }>('GET', `/records?type=problem_report`, paging());
    expect(filtered.body.records.map((record) => record.description)).toEqual(['r0']);
    const bySubject = await call<{ records: RecordBody[] }>('GET', `/records?subject_id=${subjectId}`, paging());
    expect(bySubject.body.records.map((record) => record.description)).toEqual(['r0']);
  });

  test('bad query values: 400 invalid_query with details', async () => {
    for (const [query, paths] of [
      ['?limit=101', ['limit']],
      ['?limit=0', ['limit']],
      ['?limit=ten', ['limit']],
      ['?before=no-such-record', ['before']],
      ['?colour=red', ['']],
    ] as const) {
      const answer = await call<ErrorBody>('GET', `/records${query}`, paging());
      expect({ query, status: answer.status, code: answer.body.error.code }).toEqual({
        query,
        status: 400,
        code: 'invalid_query',
      });
      expect(detailPaths(answer)).toEqual(paths);
    }
  });
});

describe('subjects', () => {
  test('names are unique per server, ignoring case', async () => {
    await newSubject('Lathe');
    const clash = await call<ErrorBody>('POST', '/subjects', { body: { name: ' LATHE ' } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('subject_exists');
    await newSubject('Lathe', OTHER_GUILD, tokens.other);

    const create = (name: string) => call('POST', '/subjects', { body: { name } });
    const racers = await Promise.all(['Mill', 'MILL', 'mill'].map(create));
    expect(racers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);

    const list = await call<{ subjects: { name: string }[] }>('GET', '/subjects');
    const names = list.body.subjects.map((subject) => subject.name);
    expect(names.filter((name) => name.toLowerCase() === 'lathe')).toEqual(['Lathe']);
    expect(names.filter((name) => name.toLowerCase() === 'mill')).toHaveLength(1);

    const empty = await call<ErrorBody>('POST', '/subjects', { body: { name: '' } });
    expect(detailPaths(empty)).toEqual(['name']);
  });

  test('deleting: unused subjects only', async () => {
    const unused = await newSubject('Spare bench');
    expect((await call('DELETE', `/subjects/${unused}`)).status).toBe(204);
    const gone = await call<ErrorBody>('DELETE', `/subjects/${unused}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('subject_not_found');

    const used = await newSubject('Grinder');
    await postRecord({ record_type: 'problem_report', description: 'Sparks', subject_id: used });
    const refused = await call<ErrorBody>('DELETE', `/subjects/${used}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('subject_in_use');
  });
});

describe('maintainers and links', () => {
  const discordUserId = '500000000000000001';

  test('PUT upserts the link; GET reads it', async () => {
    const ana = await call<{ id: string; aliases: string[] }>('POST', '/maintainers', {
      body: { name: 'Ana', aliases: ['ana.b'] },
    });
    expect(ana.status).toBe(201);
    expect(ana.body.aliases).toEqual(['ana.b']);
    const ben = await call<{ id: string }>('POST', '/maintainers', { body: { name: 'Ben' } });
    const listed = await call<{ maintainers: { name: string }[] }>('GET', '/maintainers');
    expect(listed.body.maintainers.map((maintainer) => maintainer.name)).toEqual(['Ana', 'Ben']);

    expect((await call('GET', `/maintainer-links/${discordUserId}`)).status).toBe(404);
    const first = await call('PUT', `/maintainer-links/${discordUserId}`, { body: { maintainer_id: ana.body.id } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ discord_user_id: discordUserId, maintainer_id: ana.body.id, via: 'manual' });
    const second = await call('PUT', `/maintainer-links/${discordUserId}`, { body: { maintainer_id: ben.body.id } });
    expect(second.body).toMatchObject({ maintainer_id: ben.body.id, via: 'manual' });
    expect((await call('GET', `/maintainer-links/${discordUserId}`)).body).toEqual(second.body);
    const rows = await db.query('select maintainer_id from maintainer_links where discord_user_id = $1', [
      discordUserId,
    ]);
    expect(rows).toEqual([{ maintainer_id: ben.body.id }]);

    // A name matched during a review never replaces a link a person set.
    await db.database.transaction((em) => linkMaintainer(em, GUILD, discordUserId, ana.body.id, 'matched'));
    const kept = await call('GET', `/maintainer-links/${discordUserId}`);
    expect(kept.body).toMatchObject({ maintainer_id: ben.body.id, via: 'manual' });
  });

  test('links name maintainers of the same server and real Discord ids', async () => {
    const foreign = await db.database.transaction((em) => createMaintainer(em, OTHER_GUILD, { name: 'Cy' }));
    const unknown = await call<ErrorBody>('PUT', `/maintainer-links/${discordUserId}`, {
      body: { maintainer_id: foreign.id },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_body');
    expect(detailPaths(unknown)).toEqual(['maintainer_id']);

    const badId = await call<ErrorBody>('GET', '/maintainer-links/not-a-snowflake');
    expect(badId.status).toBe(400);
    expect(badId.body.error.code).toBe('invalid_path');
  });
});

describe('settings', () => {
  interface SettingsBody {
    record_types: { name: string }[];
    notification_channel_id: string | null;
    notify_types: string[] | null;
    records_url: string | null;
  }

  test('defaults until changed; a patch changes only what it names; null resets', async () => {
    const initial = await call<SettingsBody>('GET', '/settings');
    expect(initial.status).toBe(200);
    expect(initial.body.record_types.map((type) => type.name)).toEqual([
      'log_entry',
      'problem_report',
      'part_request',
      'part_request_update',
    ]);
    expect(initial.body.notification_channel_id).toBeNull();

    const patched = await call<SettingsBody>('PATCH', '/settings', {
      body: { notification_channel_id: '123456789012345678', notify_types: ['problem_report'] },
    });
    expect(patched.body).toMatchObject({ notification_channel_id: '123456789012345678', notify_types: ['problem_report'] });
    const again = await call<SettingsBody>('PATCH', '/settings', { body: { records_url: 'https://records.example/r' } });
    expect(again.body).toMatchObject({
      notification_channel_id: '123456789012345678',
      notify_types: ['problem_report'],
      records_url: 'https://records.example/r',
    });
    const reset = await call<SettingsBody>('PATCH', '/settings', { body: { notify_types: null, record_types: null } });
    expect(reset.body.notify_types).toBeNull();
    expect(reset.body.record_types).toHaveLength(4);
  });

  test('a notification webhook must be Discord\'s own, over https: no internal address can be made a target', async () => {
    for (const url of [
      'http://discord.com/api/webhooks/123456789012345678/token',
      'https://169.254.169.254/api/webhooks/123456789012345678/token',
      'https://discord.com.evil.example/api/webhooks/123456789012345678/token',
      'https://discord.com:8443/api/webhooks/123456789012345678/token',
    ]) {
      const answer = await call<ErrorBody>('PATCH', '/settings', { body: { notification_webhook_url: url } });
      expect(answer.status).toBe(400);
      expect(detailPaths(answer)).toEqual(['notification_webhook_url']);
    }
    const accepted = await call<{ notification_webhook_url: string }>('PATCH', '/settings', {
      body: { notification_webhook_url: 'https://discord.com/api/webhooks/123456789012345678/token-abc' },
    });
    expect(accepted.body.notification_webhook_url).toBe('https://discord.com/api/webhooks/123456789012345678/token-abc');
  });

  test('invalid settings are refused with details, and nothing changes', async () => {
    const answer = await call<ErrorBody>('PATCH', '/settings', {
      body: {
        notification_channel_id: 'general',
        record_types: [{ name: 'x', label: 'X', childTypes: ['missing'], childOnly: false, requiresSubject: false }],
      },
    });
    expect(answer.status).toBe(400);
    expect(detailPaths(answer)).toEqual(expect.arrayContaining(['notification_channel_id', 'record_types']));
    expect((await call<SettingsBody>('GET', '/settings')).body.notification_channel_id).not.toBe('general');
  });
});
