// Public entry point: starts a local Discord-compatible server (REST v10 + Gateway v10) with its driver and faults.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxCore } from './core.js';
import { SandboxDriver } from './driver.js';
import { serveWebPage, streamChanges } from './web/page.js';
import { handleDriverHttp } from './driver-http.js';
import { FaultInjector } from './faults.js';
import { GatewayHub } from './gateway/hub.js';
import { RestApi } from './rest/api.js';
import type { RateLimitOptions } from './rest/rate-limits.js';
import { Services } from './services.js';
import { StatePersistence } from './state.js';

export { sandboxUsage } from './usage.js';
export type { SandboxDriver } from './driver.js';
export type { FaultInjector } from './faults.js';
export type { InteractionHandle } from './interactions.js';
export type { RateLimitOptions } from './rest/rate-limits.js';
export type { RestLogEntry, SandboxEvents } from './core.js';

export interface DiscordSandboxOptions {
  /** 0 picks any free port (default). */
  port?: number;
  host?: string;
  /** Discord's 3-second rule; interactions not acknowledged in time fail. */
  interactionDeadlineMs?: number;
  heartbeatIntervalMs?: number;
  /** How long Discord remembers a message nonce; 5 minutes unless a test needs it to lapse sooner. */
  nonceWindowMs?: number;
  /** When set, state is loaded from and saved to this JSON file. */
  stateFile?: string;
  rateLimits?: RateLimitOptions;
}

export interface DiscordSandbox {
  /** HTTP base URL; discord.js takes `{ rest: { api: `${url}/api` } }`. */
  url: string;
  gatewayUrl: string;
  driver: SandboxDriver;
  faults: FaultInjector;
  /** Tune or disable rate limits at runtime. */
  rateLimits: { configure(options: RateLimitOptions): void };
  close(): Promise<void>;
}

export async function startDiscordSandbox(options: DiscordSandboxOptions = {}): Promise<DiscordSandbox> {
  const core = new SandboxCore({
    interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
  });
  if (options.stateFile) {
    core.persistence = new StatePersistence(core.state, options.stateFile);
    await core.persistence.load();
  }
  const gateway = new GatewayHub(core);
  core.gateway = gateway;
  const services = new Services(core);
  const faults = new FaultInjector(gateway);
  const rest = new RestApi(services, faults, options.rateLimits, () => gateway.url);
  const driver = new SandboxDriver(services, rest);

  const serveAttachment = (path: string, response: ServerResponse): void => {
    const file = services.attachments.get(path.split('/')[3] ?? '');
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length }).end(file.data);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const api = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    if (api) return rest.handle(request, response, api[1]!, url.searchParams);
    if (url.pathname === '/_sandbox') return void response.writeHead(308, { location: '/_sandbox/' }).end();
    if (url.pathname.startsWith('/_sandbox/')) {
      const path = url.pathname.slice('/_sandbox'.length);
      if (request.method === 'GET' && path === '/events') return streamChanges(driver, request, response);
      if (request.method === 'GET' && serveWebPage(path, response)) return;
      return handleDriverHttp(driver, request, response, path);
    }
    if (url.pathname.startsWith('/attachments/')) return serveAttachment(url.pathname, response);
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: '404: Not Found', code: 0 }));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('[discord-sandbox] request failed', error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on('upgrade', (request, socket, head) => gateway.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  gateway.url = `${url.replace(/^http/, 'ws')}/gateway`;
  services.attachments.baseUrl = url;

  return {
    url,
    gatewayUrl: gateway.url,
    driver,
    faults,
    rateLimits: rest.rateLimits,
    async close() {
      services.interactions.close();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.persistence?.flush();
    },
  };
}
