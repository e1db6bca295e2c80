// Discord errors no retry can fix (unknown channel or message, missing access, an expired interaction token) stop
// an activity at once; rate limits and server errors are left to the retry policy. Also the calls every feature's
// activities make the same way: a member who may have left.
import { DiscordAPIError, type REST } from '@discordjs/rest';
import { Routes, type APIGuildMember } from 'discord-api-types/v10';
import { ApplicationFailure } from '@temporalio/activity';

/** A 4xx from Discord other than a rate limit: Discord refused the request, and asking again changes nothing. */
export function isDiscordRefusal(error: unknown): error is DiscordAPIError {
  return error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429;
}

export async function discordCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isDiscordRefusal(error)) {
      throw ApplicationFailure.nonRetryable(`Discord refused: ${error.status} ${error.message}`, 'DiscordRefused', {
        status: error.status,
        code: error.code,
      });
    }
    throw error;
  }
}

/**
 * Like `discordCall`, but a refusal is told in words the reader can act on: `words` by Discord's error code, else
 * Discord's own message. The failure is `ActionRefused`, final.
 */
export async function refusalsInWords<T>(call: () => Promise<T>, words: Readonly<Record<number, string>>): Promise<T> {
  try {
    return await discordCall(call);
  } catch (error) {
    if (!(error instanceof ApplicationFailure) || error.type !== 'DiscordRefused') throw error;
    const code = (error.details?.[0] as { code?: number } | undefined)?.code;
    throw ApplicationFailure.nonRetryable((code !== undefined && words[code]) || error.message, 'ActionRefused');
  }
}

/**
 * Edits a command's deferred reply. An interaction token lasts 15 minutes: past it (10015, 50027), or with the reply
 * gone (10008), there is no one left to answer, which is not worth failing over.
 */
export async function editInteractionReply(rest: REST, reply: { applicationId: string; token: string }, content: string): Promise<void> {
  try {
    await rest.patch(Routes.webhookMessage(reply.applicationId, reply.token, '@original'), { body: { content, allowed_mentions: { parse: [] } }, auth: false });
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === 10015 || code === 50027 || code === 10008) return;
    throw error;
  }
}

/** The member, or undefined when they are not in the server (Discord 10007). */
export async function memberOrNothing(rest: REST, guildId: string, userId: string): Promise<APIGuildMember | undefined> {
  try {
    return (await rest.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
  } catch (error) {
    if ((error as { code?: number }).code === 10007) return undefined;
    throw error;
  }
}
