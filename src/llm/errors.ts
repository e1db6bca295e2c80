// Every provider failure becomes an LlmError of one of four kinds, and each kind maps to one Temporal retry behaviour.
import { ApplicationFailure } from '@temporalio/common';
import { parseJson, record, stringField } from './json.js';
import { retryAfterMs } from './retry-after.js';
import type { ProviderName } from './types.js';

/**
 * - transient: rate limits, overload, 5xx, timeouts, network failures. Temporal retries the same provider with backoff.
 * - invalid_request: the request itself is refused (400, 404 unknown model, 422, content policy). Never retried.
 * - auth: the key is missing, wrong or lacks permission. Never retried.
 * - malformed_output: the model answered without calling the tool, or with input that is not valid JSON or does not
 *   match the schema. Not retried by Temporal: another sample may well succeed, but that is one deliberate extra call
 *   decided by the workflow, not an exponential backoff loop.
 */
export type LlmErrorKind = 'transient' | 'invalid_request' | 'auth' | 'malformed_output';

export interface LlmErrorInfo {
  status?: number;
  retryAfterMs?: number;
  /** The provider's own error category, e.g. `overloaded_error` or `RESOURCE_EXHAUSTED`. */
  providerErrorType?: string;
}

export class LlmError extends Error {
  override readonly name: string = 'LlmError';

  constructor(
    readonly kind: LlmErrorKind,
    readonly provider: ProviderName,
    message: string,
    readonly info: LlmErrorInfo = {},
  ) {
    super(message);
  }
}

export interface SchemaIssue {
  path: string;
  message: string;
}

export class MalformedOutputError extends LlmError {
  override readonly name = 'MalformedOutputError';

  constructor(
    provider: ProviderName,
    message: string,
    readonly issues: SchemaIssue[] = [],
  ) {
    super('malformed_output', provider, message);
  }
}

/** Turns whatever an SDK threw into an LlmError, with every `secrets` value (the API key) removed from its message. */
export function classifyError(error: unknown, provider: ProviderName, secrets: readonly string[] = []): LlmError {
  if (error instanceof LlmError) return error;
  const facts = describeSdkError(error);
  const kind = kindOf(facts);
  const status = facts.status === undefined ? 'no HTTP response' : `HTTP ${facts.status}`;
  const message = redact(`${provider} ${kind.replace('_', ' ')} (${status}): ${facts.message}`, secrets);
  return new LlmError(kind, provider, message, {
    status: facts.status,
    retryAfterMs: kind === 'transient' ? retryAfterMs(facts.headers, facts.body) : undefined,
    providerErrorType: facts.type,
  });
}

const failureTypes: Record<LlmErrorKind, string> = {
  transient: 'LlmTransient',
  invalid_request: 'LlmInvalidRequest',
  auth: 'LlmAuth',
  malformed_output: 'LlmMalformedOutput',
};

/** The failure an activity throws after one provider attempt failed: only transient failures are retryable. */
export function toActivityFailure(error: unknown, provider: ProviderName): ApplicationFailure {
  const llmError = classifyError(error, provider);
  const details = {
    provider: llmError.provider,
    kind: llmError.kind,
    ...llmError.info,
    ...(llmError instanceof MalformedOutputError ? { issues: llmError.issues } : {}),
  };
  return ApplicationFailure.create({
    message: llmError.message,
    type: failureTypes[llmError.kind],
    nonRetryable: llmError.kind !== 'transient',
    details: [details],
    nextRetryDelay: llmError.info.retryAfterMs,
  });
}

interface SdkErrorFacts {
  status?: number;
  headers?: Headers;
  body?: unknown;
  type?: string;
  message: string;
}

/**
 * Anthropic and OpenAI errors carry `status`, `headers` and the parsed body in `error`; @google/genai's ApiError
 * carries `status` and the raw JSON body as its message. Errors without a status never got an HTTP answer.
 * Read by shape rather than instanceof, so that it works whichever copy of an SDK threw.
 */
function describeSdkError(error: unknown): SdkErrorFacts {
  const fields = record(error);
  const message = stringField(fields, 'message');
  if (!fields || message === undefined) return { message: String(error) };
  const status = typeof fields.status === 'number' ? fields.status : undefined;
  const headers = fields.headers instanceof Headers ? fields.headers : undefined;
  const parsedMessage = parseJson(message);
  const body = fields.error ?? (parsedMessage.ok ? parsedMessage.value : undefined);
  // Anthropic and Google wrap the details in `error`; OpenAI's SDK already unwrapped them.
  const inner = record(record(body)?.error) ?? record(body);
  const type = stringField(inner, 'type') ?? stringField(inner, 'status');
  // Network failures hide the reason (ECONNREFUSED, timeout) in the cause, which may come from another realm.
  const cause = stringField(record(fields.cause), 'message');
  const detail = (stringField(inner, 'message') ?? message) + (cause ? ` (${cause})` : '');
  return { status, headers, body, type, message: detail };
}

function kindOf({ status, body }: SdkErrorFacts): LlmErrorKind {
  if (status === undefined) return 'transient';
  if (status === 401 || status === 403 || hasGoogleReason(body, 'API_KEY_INVALID')) return 'auth';
  if (status === 408 || status === 409 || status === 429 || status >= 500) return 'transient';
  return 'invalid_request';
}

/** Gemini answers a wrong key with 400 INVALID_ARGUMENT and an ErrorInfo detail naming the reason. */
function hasGoogleReason(body: unknown, reason: string): boolean {
  const details = record(record(body)?.error)?.details;
  return Array.isArray(details) && details.some((detail) => record(detail)?.reason === reason);
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length > 0)
    .reduce((clean, secret) => clean.split(secret).join('[redacted]'), text);
}

/** Runs one SDK call and rethrows anything it throws as a classified, key-free LlmError. */
export async function classifyFailures<T>(provider: ProviderName, apiKey: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyError(error, provider, [apiKey]);
  }
}
