// Chooses which messages of the conversation the LLM reads when a member adds a message to the records.
// The activity fetches candidates from Discord; this decides which to keep, deterministically, inside the workflow.

export interface MessageAttachment {
  name: string;
  /** Discord leaves it out for some uploads. */
  contentType?: string;
  url: string;
}

export interface ConversationMessage {
  id: string;
  authorId: string;
  authorName: string;
  content: string;
  /** ISO 8601, as Discord sends it. */
  createdAt: string;
  replyToId?: string;
  attachments: MessageAttachment[];
  /** The message is already the source of a record: showing it again invites duplicate suggestions. */
  alreadyRecorded: boolean;
}

export const CHANNEL_MESSAGES_BEFORE_TARGET = 30;
export const THREAD_MESSAGES_BEFORE_TARGET = 50;
export const PARENT_MESSAGES_BEFORE_STARTER = 10;
export const MESSAGES_BEFORE_REPLY_ORIGIN = 10;
/** Bounds the prompt's size and cost whatever the conversation's shape. */
export const MAX_CONTEXT_MESSAGES = 100;

/**
 * What the activity fetched around the target. Every list is chronological (oldest first) and may hold more than
 * the limits above: only the latest messages of each list are kept. Lists may overlap; duplicates are merged.
 */
export interface ContextCandidates {
  /** The message the member clicked "Add to records" on. */
  target: ConversationMessage;
  /** Messages before the target in its channel, or in its thread when it is in one. */
  before: ConversationMessage[];
  /** When the target is in a thread: the message the thread was started from and the parent channel before it. */
  thread?: { starter: ConversationMessage; parentBefore: ConversationMessage[] };
  /**
   * When the target replies to something: `messages` starts with the chain's origin (the first message, which
   * replies to nothing) and holds every message from it up to the target; `beforeOrigin` is what precedes it.
   */
  replyChain?: { messages: ConversationMessage[]; beforeOrigin: ConversationMessage[] };
}

/**
 * The context, chronological, target last. Already recorded messages are left out, except the target. Over
 * MAX_CONTEXT_MESSAGES the earliest context goes first; the target and the reply chain's links (origin first,
 * then from the target backwards) go last, so the LLM always sees what the target answers.
 */
export function selectContext(candidates: ContextCandidates): ConversationMessage[] {
  const { target, thread, replyChain } = candidates;
  const offered = [
    ...latest(candidates.before, thread ? THREAD_MESSAGES_BEFORE_TARGET : CHANNEL_MESSAGES_BEFORE_TARGET),
    ...(thread ? [thread.starter, ...latest(thread.parentBefore, PARENT_MESSAGES_BEFORE_STARTER)] : []),
    ...(replyChain ? [...replyChain.messages, ...latest(replyChain.beforeOrigin, MESSAGES_BEFORE_REPLY_ORIGIN)] : []),
  ];
  const byId = new Map(offered.map((message) => [message.id, message]));
  byId.set(target.id, target);

  const newestFirst = [...byId.values()]
    .filter((message) => message === target || !message.alreadyRecorded)
    .sort(chronologically)
    .reverse();
  const shownIds = newestFirst.map((message) => message.id);
  const links = chainLinks(target, byId, replyChain?.messages[0]).filter((id) => shownIds.includes(id));
  const byPriority = [...links, ...shownIds.filter((id) => !links.includes(id))];
  const kept = new Set(byPriority.slice(0, MAX_CONTEXT_MESSAGES));
  return newestFirst.filter((message) => kept.has(message.id)).reverse();
}

function latest(messages: ConversationMessage[], count: number): ConversationMessage[] {
  return messages.slice(Math.max(0, messages.length - count));
}

/**
 * Ids to keep above all, in order: the target, the origin, then the links from the target backwards. The walk
 * crosses recorded messages (they are left out later), so a recorded link does not hide the ones before it.
 */
function chainLinks(
  target: ConversationMessage,
  byId: ReadonlyMap<string, ConversationMessage>,
  origin: ConversationMessage | undefined,
): string[] {
  const links = [target.id];
  if (origin && origin.id !== target.id) links.push(origin.id);
  let link = target.replyToId;
  while (link !== undefined && byId.has(link) && !links.includes(link)) {
    links.push(link);
    link = byId.get(link)?.replyToId;
  }
  return links;
}

/** By time, then by id: snowflakes of equal length compare as strings, and a longer snowflake is later. */
function chronologically(a: ConversationMessage, b: ConversationMessage): number {
  return (
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    a.id.length - b.id.length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
