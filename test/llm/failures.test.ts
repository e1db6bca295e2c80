// Every kind of provider failure, produced by each real SDK against its local server, classified the same way.
import { ApplicationFailure } from '@temporalio/common';
import { callProvider, LlmError, MalformedOutputError, toActivityFailure } from '../../src/llm/index.js';
import type { KeyedProviderName } from '../../src/llm/providers.js';
import type { ScriptedLlmServer, ScriptedReply } from '../support/llm-servers/index.js';
import { freePort } from '../../src/net.js';
import { chainAgainst, keyedProviders, serverStarters, suggestRecordsRequest as request, testApiKey } from './harness.js';

/** Runs one call and returns what it threw, classified. */
async function failure(call: Promise<unknown>): Promise<LlmError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof LlmError)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

describe.each(keyedProviders)('%s failures', (name: KeyedProviderName) => {
  const apiKey = testApiKey(`key-${name}`);
  let server: ScriptedLlmServer;
  /** Every error a test saw, checked for the key after the test. */
  const seen: LlmError[] = [];
  const attempt = async (overrides = {}, baseUrl = server.baseUrl) => {
    const error = await failure(callProvider(chainAgainst(name, baseUrl, apiKey, overrides), name, request));
    seen.push(error);
    return error;
  };
  const classified = (reply: ScriptedReply) => {
    server.script(reply);
    return attempt();
  };

  beforeAll(async () => (server = await serverStarters[name]({ apiKey })));
  beforeEach(() => server.reset());
  afterAll(() => server.close());
  afterEach(() => {
    // Whatever the failure, the provider's key must not leak into what Temporal records.
    for (const error of seen.splice(0)) {
      expect(error.message).not.toContain(apiKey);
      expect(JSON.stringify(toActivityFailure(error, name).details)).not.toContain(apiKey);
    }
  });

  it('classifies 429 as transient, carries the requested wait and does not let the SDK retry', async () => {
    server.script({ kind: 'error', status: 429, message: 'slow down', retryAfterSeconds: 7 }, { kind: 'tool', input: {} });
    const error = await attempt();
    expect(error).toMatchObject({ kind: 'transient', provider: name, info: { status: 429, retryAfterMs: 7000 } });
    expect(error.message).toContain('slow down');
    expect(server.requests).toHaveLength(1);
  });

  it('classifies 503 as transient', async () => {
    const error = await classified({ kind: 'error', status: 503, message: 'The model is overloaded' });
    expect(error).toMatchObject({ kind: 'transient', info: { status: 503, retryAfterMs: undefined } });
    expect(server.requests).toHaveLength(1);
  });

  it('classifies 400 and 404 (unknown model) as invalid requests', async () => {
    expect(await classified({ kind: 'error', status: 400, message: 'messages: must not be empty' })).toMatchObject({
      kind: 'invalid_request',
      info: { status: 400 },
    });
    expect(await classified({ kind: 'error', status: 404, message: 'model: no-such-model' })).toMatchObject({
      kind: 'invalid_request',
      info: { status: 404 },
    });
  });

  it("classifies the provider's answer to a wrong key as auth, without repeating the key", async () => {
    const wrongKey = testApiKey(`wrong-${name}`);
    const error = await attempt({ apiKey: wrongKey });
    expect(error.kind).toBe('auth');
    expect(error.message).not.toContain(wrongKey);
  });

  it('removes the key from error messages even when the provider echoes it', async () => {
    const error = await classified({ kind: 'error', status: 400, message: `key ${apiKey} is not allowed for this model` });
    expect(error.message).toContain('key [redacted] is not allowed');
  });

  it('classifies a refused connection as transient', async () => {
    const closedPort = await freePort();
    const error = await attempt({}, server.baseUrl.replace(/:\d+/, `:${closedPort}`));
    expect(error).toMatchObject({ kind: 'transient', info: { status: undefined } });
  });

  it('classifies a timeout as transient', async () => {
    server.script({ kind: 'tool', input: {}, delayMs: 1_000 });
    const error = await attempt({ timeoutMs: 150 });
    expect(error).toMatchObject({ kind: 'transient', info: { status: undefined } });
  });

  it("stops waiting as soon as the caller's signal aborts (activity cancellation)", async () => {
    server.script({ kind: 'tool', input: {}, delayMs: 1_500 });
    const started = Date.now();
    const call = callProvider(chainAgainst(name, server.baseUrl, apiKey), name, request, { signal: AbortSignal.timeout(100) });
    seen.push(await failure(call));
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('treats a text answer instead of the tool call as malformed output', async () => {
    const error = await classified({ kind: 'text', text: 'Here are your records: none.' });
    expect(error).toBeInstanceOf(MalformedOutputError);
    expect(error.message).toContain('did not call tool suggest_records');
  });

  it('treats a call of another tool as malformed output', async () => {
    const error = await classified({ kind: 'tool', toolName: 'delete_everything', input: {} });
    expect(error).toBeInstanceOf(MalformedOutputError);
    expect(error.message).toContain('called delete_everything');
  });

  it('treats a content-policy refusal as an invalid request', async () => {
    expect(await classified({ kind: 'refusal' })).toMatchObject({ kind: 'invalid_request', provider: name });
  });
});

describe('provider-specific failures', () => {
  const apiKey = testApiKey('key');
  const servers = new Map<KeyedProviderName, ScriptedLlmServer>();
  beforeAll(async () => {
    for (const name of keyedProviders) servers.set(name, await serverStarters[name]({ apiKey }));
  });
  afterAll(() => Promise.all([...servers.values()].map((server) => server.close())));
  const on = (name: KeyedProviderName, reply: ScriptedReply) => {
    const server = servers.get(name) as ScriptedLlmServer;
    server.script(reply);
    return failure(callProvider(chainAgainst(name, server.baseUrl, apiKey), name, request));
  };

  it('classifies Anthropic 529 overloaded_error as transient', async () => {
    expect(await on('anthropic', { kind: 'error', status: 529, message: 'Overloaded' })).toMatchObject({
      kind: 'transient',
      info: { status: 529, providerErrorType: 'overloaded_error' },
    });
  });

  it('prefers the millisecond retry-after-ms header', async () => {
    const headers = { 'retry-after-ms': '1500', 'retry-after': '2' };
    for (const name of ['anthropic', 'openai'] as const) {
      expect((await on(name, { kind: 'error', status: 429, headers })).info.retryAfterMs).toBe(1500);
    }
  });

  it('treats invalid JSON in OpenAI function arguments as malformed output', async () => {
    const error = await on('openai', { kind: 'raw-arguments', arguments: '{"records": [{"title": "Raid' });
    expect(error).toBeInstanceOf(MalformedOutputError);
    expect(error.message).toContain('invalid JSON arguments for suggest_records');
  });

  it("reads Gemini's RESOURCE_EXHAUSTED with its RetryInfo delay", async () => {
    expect(await on('gemini', { kind: 'error', status: 429, retryAfterSeconds: 12.5 })).toMatchObject({
      kind: 'transient',
      info: { status: 429, retryAfterMs: 12_500, providerErrorType: 'RESOURCE_EXHAUSTED' },
    });
  });
});

describe('toActivityFailure', () => {
  it('makes transient failures retryable, after the delay the provider asked for', () => {
    const failure = toActivityFailure(new LlmError('transient', 'anthropic', 'rate limited', { status: 429, retryAfterMs: 7000 }), 'anthropic');
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'LlmTransient', nonRetryable: false, nextRetryDelay: 7000, message: 'rate limited' });
    expect(failure.details).toEqual([{ provider: 'anthropic', kind: 'transient', status: 429, retryAfterMs: 7000 }]);
  });

  it('leaves the delay to the retry policy when the provider gave none', () => {
    expect(toActivityFailure(new LlmError('transient', 'openai', 'HTTP 503'), 'openai').nextRetryDelay).toBeUndefined();
  });

  it.each([
    ['invalid_request', 'LlmInvalidRequest'],
    ['auth', 'LlmAuth'],
  ] as const)('makes %s failures non-retryable %s', (kind, type) => {
    expect(toActivityFailure(new LlmError(kind, 'gemini', 'no'), 'gemini')).toMatchObject({ type, nonRetryable: true });
  });

  it('makes malformed output non-retryable and keeps the schema issues', () => {
    const issues = [{ path: 'records.0.kind', message: 'Required' }];
    const failure = toActivityFailure(new MalformedOutputError('openai', 'bad input', issues), 'openai');
    expect(failure).toMatchObject({ type: 'LlmMalformedOutput', nonRetryable: true });
    expect(failure.details).toEqual([{ provider: 'openai', kind: 'malformed_output', issues }]);
  });

  it('classifies errors that did not go through a provider, attributing them to the given provider', () => {
    const failure = toActivityFailure(new TypeError('fetch failed'), 'gemini');
    expect(failure).toMatchObject({ type: 'LlmTransient', nonRetryable: false });
    expect(failure.message).toBe('gemini transient (no HTTP response): fetch failed');
  });
});
