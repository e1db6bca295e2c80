// Tracing's own rules: a log line written inside a span names its trace (and one outside names none), a span of
// an outgoing call never holds a token, and with tracing off nothing is registered.
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/observability/logger.js';
import { inSpan, redactedUrl, Tracing } from '../../src/observability/tracing.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

test('a log line inside a span carries its trace and span ids; one outside carries none', async () => {
  const spans = new InMemorySpanExporter();
  const tracing = Tracing.start({ serviceName: 'steward-test', spanProcessor: new SimpleSpanProcessor(spans) });
  try {
    const { logger, lines } = capture();
    logger.info('before');
    await inSpan('work', {}, async () => {
      await Promise.resolve();
      logger.info('inside');
    });
    const [span] = spans.getFinishedSpans();
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ msg: 'inside', trace_id: span!.spanContext().traceId, span_id: span!.spanContext().spanId });
  } finally {
    await tracing?.shutdown();
  }
});

test('a failed operation marks its span failed and still throws', async () => {
  const spans = new InMemorySpanExporter();
  const tracing = Tracing.start({ serviceName: 'steward-test', spanProcessor: new SimpleSpanProcessor(spans) });
  try {
    await expect(inSpan('doomed', {}, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(spans.getFinishedSpans()[0]).toMatchObject({ name: 'doomed', status: { code: 2, message: 'no' } });
  } finally {
    await tracing?.shutdown();
  }
});

test('tokens in a call’s path are blanked and its query (API keys) is left out', () => {
  expect(redactedUrl('https://discord.com', '/api/v10/interactions/123/aW50ZXJhY3Rpb24.tok/callback')).toEqual({
    'url.full': 'https://discord.com/api/v10/interactions/123/:token/callback',
    'url.path': '/api/v10/interactions/123/:token/callback',
    'url.query': '',
  });
  expect(redactedUrl('https://discord.com', '/api/v10/webhooks/42/secret-token/messages/@original?wait=true')['url.full']).toBe(
    'https://discord.com/api/v10/webhooks/42/:token/messages/@original?:redacted',
  );
  expect(redactedUrl('https://api.telegram.org', '/bot123:ABC-def/sendMessage')['url.path']).toBe('/bot:token/sendMessage');
  expect(redactedUrl('https://generativelanguage.googleapis.com', '/v1beta/models/gemini:generateContent?key=AIza-secret')['url.full']).not.toContain('AIza');
});

test('with no endpoint and no processor tracing is off and registers nothing', () => {
  expect(Tracing.start({ serviceName: 'steward-test' })).toBeUndefined();
  expect(trace.getTracer('steward').startSpan('nothing').isRecording()).toBe(false);
});
