import { DiscordAPIError, type Client, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createWorld, loginClient, type World } from './world.js';

describe('sandbox REST with discord.js', () => {
  let world: World;
  let client: Client | undefined;

  afterEach(async () => {
    await client?.destroy();
    client = undefined;
    await world.sandbox.close();
  });

  const channel = (): TextChannel => client!.channels.cache.get(world.channelId) as TextChannel;

  it('sends a message the driver sees', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const sent = await channel().send({ content: 'hi there', embeds: [{ title: 'Welcome' }] });
    const [stored] = world.sandbox.driver.channelMessages(world.channelId);
    expect(stored).toMatchObject({ id: sent.id, content: 'hi there', author: { id: world.app.botUserId } });
    expect(world.sandbox.driver.restLog().at(-1)).toMatchObject({ method: 'POST', route: '/channels/:channel_id/messages', status: 200 });
  });

  it('rejects a 2001-character message with 50035 and the field path', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const error = await channel().send('x'.repeat(2001)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
    expect((error as DiscordAPIError).rawError).toEqual({
      code: 50035,
      message: 'Invalid Form Body',
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
    });
    expect(world.sandbox.driver.channelMessages(world.channelId)).toHaveLength(0);
  });

  it('reports nested embed paths and refuses empty messages', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const embedError = (await channel().send({ embeds: [{ title: 't'.repeat(257) }] }).catch((e: unknown) => e)) as DiscordAPIError;
    expect(embedError.rawError).toMatchObject({ errors: { embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } });
    const empty = (await client.rest.post(`/channels/${world.channelId}/messages`, { body: {} }).catch((e: unknown) => e)) as DiscordAPIError;
    expect(empty.code).toBe(50006);
  });

  it('deduplicates by nonce when enforce_nonce is set', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const first = await channel().send({ content: 'once', nonce: 'abc123', enforceNonce: true });
    const second = await channel().send({ content: 'once', nonce: 'abc123', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(world.sandbox.driver.channelMessages(world.channelId)).toHaveLength(1);
  });

  it('answers 50013 when the bot lacks a permission and enforces role hierarchy', async () => {
    world = await createWorld();
    client = await loginClient(world);
    const guild = client.guilds.cache.get(world.guildId)!;
    const kick = (await guild.members.kick(world.memberId).catch((e: unknown) => e)) as DiscordAPIError;
    expect(kick.code).toBe(50013);
    const role = (await guild.members.addRole({ user: world.memberId, role: world.moderatorRoleId }).catch((e: unknown) => e)) as DiscordAPIError;
    expect(role.code).toBe(50013);
    expect(world.sandbox.driver.member(world.guildId, world.memberId)).toBeDefined();
  });

  it('carries Discord rate limit headers and body on 429 and discord.js retries without duplicates', async () => {
    world = await createWorld({ rateLimits: { enabled: true } });
    client = await loginClient(world);
    world.sandbox.faults.rateLimit('POST /channels/:channel_id/messages', { times: 1, retryAfterMs: 200 });
    const raw = await fetch(`${world.sandbox.url}/api/v10/channels/${world.channelId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${world.app.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'raw' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('0.200');
    expect(raw.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(raw.headers.get('x-ratelimit-reset-after')).toBe('0.200');
    expect(raw.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await raw.json()).toEqual({ message: 'You are being rate limited.', retry_after: 0.2, global: false });

    world.sandbox.faults.rateLimit('POST /channels/:channel_id/messages', { times: 1, retryAfterMs: 200 });
    await channel().send('through the limit');
    const posts = world.sandbox.driver.restLog().filter((entry) => entry.route === '/channels/:channel_id/messages' && entry.method === 'POST');
    expect(posts.map((entry) => entry.status)).toEqual([429, 429, 200]);
    expect(world.sandbox.driver.channelMessages(world.channelId).map((message) => message.content)).toEqual(['through the limit']);
    const ok = await fetch(`${world.sandbox.url}/api/v10/users/@me`, { headers: { authorization: `Bot ${world.app.token}` } });
    expect(ok.headers.get('x-ratelimit-limit')).toBeTruthy();
    expect(ok.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]+$/);
  });

  it('answers 401 with Discord body for a bad token and records audit log reasons', async () => {
    world = await createWorld();
    const raw = await fetch(`${world.sandbox.url}/api/v10/users/@me`, { headers: { authorization: 'Bot nope' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    client = await loginClient(world);
    const spam = world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content: 'spam' });
    await client.rest.delete(`/channels/${world.channelId}/messages/${spam.id as string}`, { reason: 'spam cleanup' });
    expect(world.sandbox.driver.restLog().at(-1)).toMatchObject({ status: 204, auditLogReason: 'spam cleanup' });
  });
});
