// A local HTTP server that speaks one LLM provider's wire protocol, answers from a script and records every request,
// so that tests run the real, unmodified SDKs against it.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Fields every reply accepts: how long the server waits before answering. */
interface Timing {
  delayMs?: number;
}

/** What the server answers to one request. Each protocol renders it in its provider's exact shape. */
export type ScriptedReply = Timing &
  (
    | { kind: 'tool'; input: unknown; toolName?: string; usage?: ScriptedUsage }
    | { kind: 'text'; text: string }
    /** A function call whose arguments are this raw string; only OpenAI's protocol sends arguments as text. */
    | { kind: 'raw-arguments'; arguments: string }
    | { kind: 'refusal' }
    | {
        kind: 'error';
        status: number;
        /** The provider's error category; defaults to the one the provider uses for `status`. */
        type?: string;
        message?: string;
        /** Rendered the provider's way: a `retry-after` header, or Google's RetryInfo detail. */
        retryAfterSeconds?: number;
        headers?: Record<string, string>;
        /** Replaces the rendered body entirely. */
        body?: unknown;
      }
  );

export type SuccessReply = Exclude<ScriptedReply, { kind: 'error' }>;
export type ErrorReply = Extract<ScriptedReply, { kind: 'error' }>;

export interface RecordedRequest {
  /** Epoch milliseconds, when the whole request had arrived. */
  receivedAt: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface WireResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One provider's side of the protocol. */
export interface WireProtocol {
  /** The SDK's base URL relative to the server's origin (OpenAI's includes `/v1`). */
  basePath: string;
  /** The model a request is for, when it targets this provider's tool-calling endpoint. */
  modelOf(method: string, path: string, body: unknown): string | undefined;
  /** The provider's refusal of a missing or wrong key, or undefined when the key is right. */
  rejectKey(request: RecordedRequest, apiKey: string): WireResponse | undefined;
  /** The provider's rejection of a request its real API would refuse before any model runs. */
  rejectRequest?(request: RecordedRequest): WireResponse | undefined;
  /** The provider's error response; the server then applies the reply's `headers` and `body` overrides. */
  error(reply: ErrorReply): WireResponse;
  /** Undefined when the reply cannot be expressed in this protocol. */
  success(reply: SuccessReply, model: string, requestBody: unknown): unknown;
  /** Headers the provider sets on every response. */
  responseHeaders(): Record<string, string>;
}

export interface ScriptedServerOptions {
  apiKey: string;
  /** Answered when the script queue is empty. */
  defaultReply?: ScriptedReply;
}

export class ScriptedLlmServer {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: ScriptedReply[] = [];
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private defaultReply: ScriptedReply;
  /** Decides a reply from the request itself (a stand-in model that reads the prompt); the script comes first. */
  private responder: ((request: RecordedRequest) => ScriptedReply) | undefined;

  constructor(
    private readonly protocol: WireProtocol,
    private readonly options: ScriptedServerOptions,
  ) {
    this.defaultReply = options.defaultReply ?? { kind: 'tool', input: {} };
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** What to pass as the SDK's base URL. */
  get baseUrl(): string {
    return this.origin + this.protocol.basePath;
  }

  /** The next requests get these replies, in order; afterwards the default reply. */
  script(...replies: ScriptedReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  setDefaultReply(reply: ScriptedReply): this {
    this.defaultReply = reply;
    return this;
  }

  /** Replies computed from each request when the script is empty, until reset. */
  respondWith(responder: (request: RecordedRequest) => ScriptedReply): this {
    this.responder = responder;
    return this;
  }

  get lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error('the server received no request');
    return last;
  }

  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.defaultReply = this.options.defaultReply ?? { kind: 'tool', input: {} };
    this.responder = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', this.origin);
    const text = await readBody(incoming);
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: parseBody(text),
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    const answer = this.answer(request);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    // The client may have given up (timeout) while we waited.
    if (response.destroyed) return;
    const headers = { 'content-type': 'application/json', ...this.protocol.responseHeaders(), ...answer.reply.headers };
    response.writeHead(answer.reply.status, headers).end(JSON.stringify(answer.reply.body));
  }

  private answer(request: RecordedRequest): { reply: WireResponse; delayMs?: number } {
    const { protocol } = this;
    const model = protocol.modelOf(request.method, request.path, request.body);
    if (model === undefined) {
      return { reply: protocol.error({ kind: 'error', status: 404, message: `no route ${request.method} ${request.path}` }) };
    }
    const rejection = protocol.rejectKey(request, this.options.apiKey) ?? protocol.rejectRequest?.(request);
    if (rejection) return { reply: rejection };
    const scripted = this.queue.shift() ?? this.responder?.(request) ?? this.defaultReply;
    if (scripted.kind === 'error') {
      const rendered = protocol.error(scripted);
      const reply = { ...rendered, body: scripted.body ?? rendered.body, headers: { ...rendered.headers, ...scripted.headers } };
      return { reply, delayMs: scripted.delayMs };
    }
    const body = protocol.success(scripted, model, request.body);
    const reply =
      body === undefined
        ? protocol.error({ kind: 'error', status: 500, message: `scripted reply ${scripted.kind} has no form in this protocol` })
        : { status: 200, body };
    return { reply, delayMs: scripted.delayMs };
  }
}

export function startScriptedServer(protocol: WireProtocol, options: ScriptedServerOptions): Promise<ScriptedLlmServer> {
  return new ScriptedLlmServer(protocol, options).start();
}

export const defaultUsage: ScriptedUsage = { inputTokens: 1200, outputTokens: 80 };

/** Anthropic and OpenAI ask clients to wait with the standard `retry-after` header, in seconds. */
export function retryAfterHeader(reply: ErrorReply): Record<string, string> {
  return reply.retryAfterSeconds === undefined ? {} : { 'retry-after': String(reply.retryAfterSeconds) };
}

/** Provider-style opaque identifiers: `msg_…`, `toolu_…`, `call_…`. */
export function randomId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

/** Reads a nested field of a parsed JSON body, e.g. `field(body, 'tool_choice', 'name')`. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (current, key) => (typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined),
    value,
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The real APIs reject unparsable JSON; here it is recorded raw so the test sees what the SDK sent. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
