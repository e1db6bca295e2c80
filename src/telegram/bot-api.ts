// The Telegram Bot API through grammY: an `Api` for activities that send and edit messages, a `Bot` for the adapter
// that receives button presses and commands (long polling, so no public address is needed), and the failures in
// Temporal's terms: a 429 waits for Telegram's retry_after, other 4xx are final, everything else is retried.
import { ApplicationFailure } from '@temporalio/common';
import { Api, Bot, GrammyError } from 'grammy';

export interface TelegramSettings {
  token: string;
  /** Telegram's own address, or a local Bot API server; no trailing slash. */
  apiRoot: string;
}

export function telegramApi({ token, apiRoot }: TelegramSettings): Api {
  return new Api(token, { apiRoot });
}

export function telegramBot({ token, apiRoot }: TelegramSettings): Bot {
  return new Bot(token, { client: { apiRoot } });
}

export async function telegramCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof GrammyError)) throw error;
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 5;
      throw ApplicationFailure.create({ message: error.description, type: 'TelegramRateLimited', nextRetryDelay: `${seconds} seconds` });
    }
    if (error.error_code >= 400 && error.error_code < 500) throw ApplicationFailure.nonRetryable(error.description, 'TelegramRefused');
    throw error;
  }
}

/** Telegram answers an edit that changes nothing with 400 "message is not modified": for us, that edit is done. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes('message is not modified');
}
