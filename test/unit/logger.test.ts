// Secrets are blanked in every log line: under known field names, inside messages, in URLs and in errors.
import { Writable } from 'node:stream';
import { createLogger, secretValueRedactor } from '../../src/observability/logger.js';

function capture(secrets: string[]) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'info', secrets, destination }), lines };
}

test('configured secret values are blanked wherever they appear', () => {
  const { logger, lines } = capture(['Bot-token.abc123', 's3cret/pw']);
  logger.info({ url: 'postgresql://steward:s3cret%2Fpw@db/steward' }, 'connecting with Bot-token.abc123');
  logger.error({ err: new Error('401 for token Bot-token.abc123') }, 'login failed');

  const output = lines.join('');
  expect(output).not.toContain('Bot-token.abc123');
  expect(output).not.toContain('s3cret');
  const [connecting, failed] = lines.map((line) => JSON.parse(line));
  expect(connecting).toMatchObject({ msg: 'connecting with [REDACTED]', url: 'postgresql://steward:[REDACTED]@db/steward' });
  expect(failed.err.message).toBe('401 for token [REDACTED]');
});

test('fields named like secrets are blanked whatever their value', () => {
  const { logger, lines } = capture([]);
  logger.info({ token: 'abc', request: { headers: { authorization: 'Bot xyz' } }, apiKey: 'k' }, 'request');
  const entry = JSON.parse(lines[0] ?? '{}');
  expect(entry.token).toBe('[REDACTED]');
  expect(entry.apiKey).toBe('[REDACTED]');
  expect(entry.request.headers.authorization).toBe('[REDACTED]');
});

test('very short values are not treated as secrets, so ordinary words survive', () => {
  expect(secretValueRedactor(['abc', undefined, ''])('abc is fine')).toBe('abc is fine');
});
