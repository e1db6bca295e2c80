// The sandbox's web page (development only): play any member of the sandbox server in a browser. The page is plain
// HTML with one small script (assets/) that uses the driver's HTTP API, and follows changes live through a
// server-sent event stream, so a card the bot edits changes on screen as it would in Discord.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { SandboxDriver } from '../driver.js';

const ASSET_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The assets in the source tree: beside this module when run from source, four folders up from dist/. */
function assetsFolder(): string {
  const beside = fileURLToPath(new URL('./assets/', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../../../src/sandbox/web/assets/', import.meta.url));
}

/** Serves `/_sandbox/` (the page) and `/_sandbox/assets/<file>`; false when `path` is neither. */
export function serveWebPage(path: string, response: ServerResponse): boolean {
  const file = path === '/' ? 'index.html' : /^\/assets\/([a-z.]+)$/.exec(path)?.[1];
  const type = file && ASSET_TYPES[file];
  if (!file || !type) return false;
  const body = readFileSync(`${assetsFolder()}${file}`);
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-length': body.length }).end(body);
  return true;
}

/** How often at most the page is told to refresh: a burst of edits becomes one refresh. */
const COALESCE_MS = 100;

/**
 * `/_sandbox/events`: a `change` event whenever something a member could see may have changed (a message, an
 * interaction answered or failed, any write through the REST API). The page then fetches what it shows.
 */
export function streamChanges(driver: SandboxDriver, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.write(': connected\n\n');
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      response.write('event: change\ndata: {}\n\n');
    }, COALESCE_MS);
  };
  const unsubscribe = [
    driver.on('message', changed),
    driver.on('interactionResponse', changed),
    driver.on('interactionFailed', changed),
    driver.on('rest', (entry) => entry.method !== 'GET' && changed()),
  ];
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  request.on('close', () => {
    clearInterval(keepAlive);
    clearTimeout(pending);
    for (const stop of unsubscribe) stop();
  });
}
