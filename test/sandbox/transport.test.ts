import { createInflate } from 'node:zlib';
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createWorld, type World } from './world.js';

describe('sandbox transport and HTTP driver', () => {
  let world: World;

  afterEach(async () => {
    await world.sandbox.close();
  });

  it('speaks zlib-stream: one inflate context decodes HELLO and READY', async () => {
    world = await createWorld();
    const socket = new WebSocket(`${world.sandbox.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate();
    const payloads: Array<{ op: number; t: string | null }> = [];
    let text = '';
    inflate.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      // Each payload ends on a flush boundary, so whole JSON documents arrive one at a time.
      try {
        payloads.push(JSON.parse(text) as { op: number; t: string | null });
        text = '';
      } catch {
        /* partial payload, wait for more */
      }
    });
    socket.on('message', (data: Buffer) => inflate.write(data));
    await world.sandbox.driver.waitFor(() => payloads.length >= 1);
    expect(payloads[0]!.op).toBe(10);
    socket.send(JSON.stringify({ op: 2, d: { token: world.app.token, intents: 1, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
    await world.sandbox.driver.waitFor(() => payloads.some((payload) => payload.t === 'GUILD_CREATE'));
    expect(payloads.map((payload) => payload.t)).toEqual([null, 'READY', 'GUILD_CREATE']);
    socket.close();
  });

  it('closes with 4004 on a bad token and refuses etf encoding', async () => {
    world = await createWorld();
    const closeCode = (url: string, identify?: object) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url);
        if (identify) socket.on('open', () => socket.send(JSON.stringify(identify)));
        socket.on('close', (code) => resolve(code));
      });
    const identify = { op: 2, d: { token: 'wrong', intents: 1, properties: {} } };
    expect(await closeCode(`${world.sandbox.gatewayUrl}?v=10&encoding=json`, identify)).toBe(4004);
    expect(await closeCode(`${world.sandbox.gatewayUrl}?v=10&encoding=etf`)).toBe(4002);
  });

  it('lets a human act as a member over /_sandbox with validated bodies', async () => {
    world = await createWorld();
    const post = (path: string, body: unknown) =>
      fetch(`${world.sandbox.url}/_sandbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post(`/channels/${world.channelId}/messages`, { userId: 'alice', content: '' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'Invalid body', details: { properties: { userId: expect.anything(), content: expect.anything() } } });
    const good = await post(`/channels/${world.channelId}/messages`, { userId: world.memberId, content: 'from curl' });
    expect(good.status).toBe(200);
    expect(world.sandbox.driver.channelMessages(world.channelId).map((message) => message.content)).toEqual(['from curl']);
  });
});
