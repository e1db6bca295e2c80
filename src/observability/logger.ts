// pino JSON logs. Every line passes through a redactor that blanks the configured secret values wherever they
// appear (a URL with a password, a token echoed in an error message), not only under known field names.
import { pino, type Logger } from 'pino';
import { traceFields } from './tracing.js';

export type { Logger };

const REDACTED = '[REDACTED]';

/** Field names that hold secrets whatever their value. */
const secretFieldPaths = [
  'token',
  'apiKey',
  'password',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level: string;
  /** Secret values (tokens, API keys, database passwords) to blank wherever they appear. */
  secrets?: readonly (string | undefined)[];
  destination?: pino.DestinationStream;
}

export function createLogger({ level, secrets = [], destination }: LoggerOptions): Logger {
  const redactSecretValues = secretValueRedactor(secrets);
  return pino(
    {
      level,
      base: { service: 'steward', pid: process.pid },
      // The active span's trace id on every line, so one click can be followed through adapter, workflow and activity.
      mixin: traceFields,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: secretFieldPaths, censor: REDACTED },
      hooks: { streamWrite: redactSecretValues },
    },
    destination,
  );
}

/** Returns a function that blanks each secret (and its JSON-escaped and URL-encoded forms) in a log line. */
export function secretValueRedactor(secrets: readonly (string | undefined)[]): (line: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    // Very short values would blank ordinary words; nothing that short is a real credential.
    if (!secret || secret.length < 6) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  if (forms.size === 0) return (line) => line;
  const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

/** The secret parts of a connection URL: its password (a whole URL is also redacted by value). */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password, url] : [url];
  } catch {
    return [url];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
