// Fetches the messages around a target over Discord's REST API, in the shapes the context window chooses from:
// the channel (or thread) before it, the thread's starter and parent channel, and the reply chain.
import type { REST } from '@discordjs/rest';
import { ChannelType, Routes, type APIChannel, type APIMessage } from 'discord-api-types/v10';
import {
  CHANNEL_MESSAGES_BEFORE_TARGET,
  MAX_CONTEXT_MESSAGES,
  MESSAGES_BEFORE_REPLY_ORIGIN,
  PARENT_MESSAGES_BEFORE_STARTER,
  THREAD_MESSAGES_BEFORE_TARGET,
  type ContextCandidates,
  type ConversationMessage,
} from './context-window.js';

const THREAD_TYPES = new Set<number>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/**
 * The target comes from the command's interaction (its resolved data), which Discord fills even for an app without
 * the Message Content intent; without the intent the rest of the conversation would read empty, so only the target
 * is used.
 */
export async function fetchContextCandidates(
  rest: REST,
  channelId: string,
  targetMessage: APIMessage,
  canReadContent: boolean,
): Promise<ContextCandidates> {
  const target = toConversation(targetMessage);
  if (!canReadContent) return { target, before: [] };
  const channel = (await rest.get(Routes.channel(channelId))) as APIChannel;
  const messageId = target.id;
  const inThread = THREAD_TYPES.has(channel.type) && 'parent_id' in channel && channel.parent_id;
  const before = await history(rest, channelId, { before: messageId }, inThread ? THREAD_MESSAGES_BEFORE_TARGET : CHANNEL_MESSAGES_BEFORE_TARGET);

  let thread: ContextCandidates['thread'];
  if (inThread) {
    // A thread started from a message has that message's id; its starter lives in the parent channel.
    const starter = await optionalMessage(rest, channel.parent_id as string, channelId);
    if (starter) {
      const parentBefore = await history(rest, channel.parent_id as string, { before: starter.id }, PARENT_MESSAGES_BEFORE_STARTER);
      thread = { starter, parentBefore };
    }
  }
  const replyChain = target.replyToId ? await fetchReplyChain(rest, channelId, target) : undefined;
  return { target, before, ...(thread ? { thread } : {}), ...(replyChain ? { replyChain } : {}) };
}

/** Walks reply links back to the origin, then takes everything from the origin to the target and 10 before it. */
async function fetchReplyChain(rest: REST, channelId: string, target: ConversationMessage) {
  let origin = target;
  for (let hops = 0; origin.replyToId && hops < MAX_CONTEXT_MESSAGES; hops++) {
    const parent = await optionalMessage(rest, channelId, origin.replyToId);
    if (!parent) break;
    origin = parent;
  }
  if (origin.id === target.id) return undefined;
  const between = (await history(rest, channelId, { after: origin.id }, MAX_CONTEXT_MESSAGES)).filter(
    (message) => BigInt(message.id) < BigInt(target.id),
  );
  const beforeOrigin = await history(rest, channelId, { before: origin.id }, MESSAGES_BEFORE_REPLY_ORIGIN);
  return { messages: [origin, ...between, target], beforeOrigin };
}

/** Chronological, oldest first. */
async function history(rest: REST, channelId: string, anchor: { before: string } | { after: string }, limit: number) {
  const query = new URLSearchParams({ ...anchor, limit: String(Math.min(limit, 100)) });
  const page = (await rest.get(Routes.channelMessages(channelId), { query })) as APIMessage[];
  return page.map(toConversation).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

async function optionalMessage(rest: REST, channelId: string, messageId: string) {
  try {
    return toConversation((await rest.get(Routes.channelMessage(channelId, messageId))) as APIMessage);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

function toConversation(message: APIMessage): ConversationMessage {
  return {
    id: message.id,
    authorId: message.author.id,
    authorName: message.author.global_name ?? message.author.username,
    content: message.content,
    createdAt: message.timestamp,
    ...(message.message_reference?.message_id ? { replyToId: message.message_reference.message_id } : {}),
    attachments: message.attachments.map((file) => ({
      name: file.filename,
      ...(file.content_type ? { contentType: file.content_type } : {}),
      url: file.url,
    })),
    alreadyRecorded: false,
  };
}
