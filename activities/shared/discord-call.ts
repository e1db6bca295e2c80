// Discord errors no retry can fix (unknown channel or message, missing access, an expired interaction token) stop
// an activity at once; rate limits and server errors are left to the retry policy.
import { DiscordAPIError } from '@discordjs/rest';
import { ApplicationFailure } from '@temporalio/activity';

export async function discordCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && error.status !== 429) {
      throw ApplicationFailure.nonRetryable(`Discord refused: ${error.status} ${error.message}`, 'DiscordRefused', {
        status: error.status,
        code: error.code,
      });
    }
    throw error;
  }
}
