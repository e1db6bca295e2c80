// Route table for the REST API: templates like `/channels/:channel_id/messages` matched to handlers.
import type { IncomingHttpHeaders } from 'node:http';
import type { ApplicationRecord } from '../state.js';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
  /** The authenticated bot's application; absent on routes authenticated by a token in the URL. */
  app?: ApplicationRecord;
  auditLogReason?: string;
}

export interface RestResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  template: string;
  /** Bot-token authentication; interaction and webhook-token routes authenticate by URL instead. */
  auth?: boolean;
  handler(request: RestRequest): RestResult | Promise<RestResult>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export const ok = (body: unknown): RestResult => ({ status: 200, body });
export const created = (body: unknown): RestResult => ({ status: 201, body });
export const noContent = (): RestResult => ({ status: 204 });

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.template
        .split('/')
        .map((segment) => (segment.startsWith(':') ? (names.push(segment.slice(1)), '([^/]+)') : segment.replace(/[@.]/g, '\\$&')))
        .join('/');
      this.routes.push({ ...route, pattern: new RegExp(`^${source}/?$`), names });
    }
    // Literal segments win over parameters (`@original` before `:message_id`), like Discord's router.
    this.routes.sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, encodedPath: string): RouteMatch | { allowed: string[] } | undefined {
    // Clients may percent-encode "@me" (discord.js sends /users/%40me); Discord reads it as the literal segment.
    const path = encodedPath.replace(/%40/gi, '@');
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)]));
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}
