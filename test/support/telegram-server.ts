// A local server that speaks the Telegram Bot API's wire protocol (https://core.telegram.org/bots/api): POST
// /bot<token>/<method> with JSON, answers `{ ok, result }` or `{ ok: false, error_code, description }`, long-polled
// getUpdates, and the limits and errors of the methods Steward uses (sendMessage, editMessageText,
// answerCallbackQuery), including 429 with retry_after past 20 messages a minute in a group. Tests drive it as
// Telegram users would (pressing inline buttons, sending /commands), so grammY runs against it unmodified.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
}

interface Chat {
  id: number;
  type: 'private' | 'group' | 'supergroup';
  title?: string;
  first_name?: string;
}

interface InlineButton {
  text: string;
  callback_data?: string;
}

export interface TelegramMessage {
  message_id: number;
  date: number;
  chat: Chat;
  from: User;
  text: string;
  reply_markup?: { inline_keyboard: InlineButton[][] };
  entities?: { type: string; offset: number; length: number }[];
}

type Update = { update_id: number } & (
  | { message: TelegramMessage }
  | { callback_query: { id: string; from: User; message: TelegramMessage; chat_instance: string; data: string } }
);

class BotApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after: number },
  ) {
    super(description);
  }
}

const GROUP_MESSAGES_PER_MINUTE = 20;

export class TelegramServer {
  readonly bot: User = { id: 7_000_000_001, is_bot: true, first_name: 'Steward', username: 'steward_test_bot' };
  readonly token = `${this.bot.id}:AAH${'x'.repeat(32)}`;
  /** Every call the bot made, in order. */
  readonly calls: { method: string; body: Record<string, unknown>; status: number }[] = [];
  private readonly chats = new Map<number, Chat>();
  private readonly users = new Map<number, User>();
  private readonly messages = new Map<number, TelegramMessage[]>();
  private readonly updates: Update[] = [];
  private readonly callbackQueries = new Map<string, { answered: boolean; answer?: Record<string, unknown> }>();
  private readonly sentAt = new Map<number, number[]>();
  private nextUpdateId = 1;
  private nextId = 100;
  private waiters: (() => void)[] = [];
  private readonly server = createServer((request, response) => void this.handle(request, response));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** grammY's `apiRoot`: no trailing slash. */
  get apiRoot(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the world, as tests set it up and act in it ----

  createGroup(title: string): number {
    const id = -(1_000_000_000_000 + this.nextId++);
    this.chats.set(id, { id, type: 'supergroup', title });
    return id;
  }

  createUser(firstName: string): User {
    const user: User = { id: 500_000_000 + this.nextId++, is_bot: false, first_name: firstName, username: firstName.toLowerCase() };
    this.users.set(user.id, user);
    this.chats.set(user.id, { id: user.id, type: 'private', first_name: firstName });
    return user;
  }

  /** A user writes to the bot in their private chat (e.g. "/link 123456"). */
  sendText(userId: number, text: string): void {
    const from = this.users.get(userId)!;
    const command = /^\/\w+/.exec(text);
    const message = this.store(userId, { from, text, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}) });
    this.push({ message });
  }

  /** A user presses an inline button; returns the callback query's id. */
  pressButton(userId: number, chatId: number, messageId: number, text: string): string {
    const message = this.messages.get(chatId)?.find((candidate) => candidate.message_id === messageId);
    const button = message?.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text === text);
    if (!message || !button?.callback_data) throw new Error(`No button "${text}" on message ${messageId} in chat ${chatId}`);
    return this.forgeCallback(userId, message, button.callback_data);
  }

  /** A callback as a modified client or a replay could send it: any data, for any message. */
  forgeCallback(userId: number, message: TelegramMessage, data: string, id = String(this.nextId++)): string {
    this.callbackQueries.set(id, { answered: false });
    this.push({ callback_query: { id, from: this.users.get(userId)!, message, chat_instance: String(message.chat.id), data } });
    return id;
  }

  messagesIn(chatId: number): TelegramMessage[] {
    return this.messages.get(chatId) ?? [];
  }

  answerTo(callbackQueryId: string): Record<string, unknown> | undefined {
    return this.callbackQueries.get(callbackQueryId)?.answer;
  }

  // ---- the protocol ----

  private push(update: Record<string, unknown>): void {
    this.updates.push({ update_id: this.nextUpdateId++, ...update } as Update);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private store(chatId: number, fields: Omit<TelegramMessage, 'message_id' | 'date' | 'chat'>): TelegramMessage {
    const message: TelegramMessage = { message_id: this.nextId++, date: Math.floor(Date.now() / 1000), chat: this.chats.get(chatId)!, ...fields };
    const list = this.messages.get(chatId) ?? [];
    list.push(message);
    this.messages.set(chatId, list);
    return message;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(request.url ?? '/', 'http://x').pathname);
    let status = 200;
    let method = '';
    let body: Record<string, unknown> = {};
    let reply: unknown;
    try {
      if (!match) throw new BotApiError(404, 'Not Found');
      method = match[2]!;
      if (match[1] !== this.token) throw new BotApiError(401, 'Unauthorized');
      body = await readJson(request);
      reply = { ok: true, result: await this.call(method, body) };
    } catch (error) {
      if (!(error instanceof BotApiError)) throw error;
      status = error.code;
      reply = { ok: false, error_code: error.code, description: error.description, ...(error.parameters ? { parameters: error.parameters } : {}) };
    }
    if (method !== 'getUpdates') this.calls.push({ method, body, status });
    if (!response.destroyed) response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  private async call(method: string, body: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { ...this.bot, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'deleteWebhook':
      case 'setMyCommands':
        return true;
      case 'getUpdates':
        return this.getUpdates(body);
      case 'sendMessage':
        return this.sendMessage(body);
      case 'editMessageText':
        return this.editMessageText(body);
      case 'answerCallbackQuery':
        return this.answerCallbackQuery(body);
      default:
        throw new BotApiError(404, 'Not Found');
    }
  }

  private async getUpdates(body: Record<string, unknown>): Promise<Update[]> {
    const offset = Number(body.offset ?? 0);
    // Asking from an offset confirms every earlier update: Telegram forgets them.
    while (this.updates.length > 0 && this.updates[0]!.update_id < offset) this.updates.shift();
    const timeoutMs = Number(body.timeout ?? 0) * 1000;
    if (this.updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return this.updates.slice(0, Number(body.limit ?? 100));
  }

  private sendMessage(body: Record<string, unknown>): TelegramMessage {
    const chat = this.chats.get(Number(body.chat_id));
    if (!chat) throw new BotApiError(400, 'Bad Request: chat not found');
    const text = checkText(body.text);
    const markup = checkMarkup(body.reply_markup);
    if (chat.type !== 'private') this.countGroupMessage(chat.id);
    return this.store(chat.id, { from: this.bot, text, ...(markup ? { reply_markup: markup } : {}) });
  }

  private editMessageText(body: Record<string, unknown>): TelegramMessage {
    const message = this.messages.get(Number(body.chat_id))?.find((candidate) => candidate.message_id === Number(body.message_id));
    if (!message) throw new BotApiError(400, 'Bad Request: message to edit not found');
    const text = checkText(body.text);
    const markup = checkMarkup(body.reply_markup);
    if (text === message.text && JSON.stringify(markup) === JSON.stringify(message.reply_markup)) {
      throw new BotApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    message.text = text;
    if (markup) message.reply_markup = markup;
    else delete message.reply_markup;
    return message;
  }

  private answerCallbackQuery(body: Record<string, unknown>): boolean {
    const query = this.callbackQueries.get(String(body.callback_query_id));
    if (!query || query.answered) throw new BotApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    query.answered = true;
    query.answer = body;
    return true;
  }

  /** Telegram allows a bot about 20 messages a minute in one group. */
  private countGroupMessage(chatId: number): void {
    const now = Date.now();
    const recent = (this.sentAt.get(chatId) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= GROUP_MESSAGES_PER_MINUTE) {
      const retryAfter = Math.ceil((recent[0]! + 60_000 - now) / 1000);
      throw new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    recent.push(now);
    this.sentAt.set(chatId, recent);
  }
}

function checkText(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  if (!text.trim()) throw new BotApiError(400, 'Bad Request: message text is empty');
  if (text.length > 4096) throw new BotApiError(400, 'Bad Request: message is too long');
  return text;
}

function checkMarkup(value: unknown): { inline_keyboard: InlineButton[][] } | undefined {
  if (value === undefined) return undefined;
  const keyboard = (value as { inline_keyboard?: InlineButton[][] }).inline_keyboard;
  if (!Array.isArray(keyboard)) throw new BotApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const button of keyboard.flat()) {
    const size = Buffer.byteLength(button.callback_data ?? '');
    if (button.callback_data !== undefined && (size < 1 || size > 64)) throw new BotApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
  }
  return { inline_keyboard: keyboard };
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  if (!(request.headers['content-type'] ?? '').includes('application/json')) throw new BotApiError(400, 'Bad Request: unsupported content type');
  return JSON.parse(text) as Record<string, unknown>;
}
