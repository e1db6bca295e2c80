// Operator CLI for the per-server API tokens, with DATABASE_URL set:
//   node dist/src/http/api-token-cli.js issue <guildId> <name>     prints a new token once (only its hash is kept)
//   node dist/src/http/api-token-cli.js revoke <guildId> <tokenId> the token stops working at once
import { Database } from '../db/database.js';
import { ApiTokenSchema, issueApiToken, revokeApiToken } from './api-tokens.js';

const EXIT_USAGE = 64; // EX_USAGE from sysexits.h
const EXIT_NOT_FOUND = 1;
const snowflake = /^\d{17,20}$/;

const [command, guildId, subject] = process.argv.slice(2).map((argument) => argument.trim());
const url = process.env.DATABASE_URL;
const valid =
  url &&
  guildId &&
  snowflake.test(guildId) &&
  subject &&
  ((command === 'issue' && subject.length <= 100) || (command === 'revoke' && subject.length <= 64));
if (!valid) {
  console.error('Usage, with DATABASE_URL=postgresql://… set:');
  console.error('  node dist/src/http/api-token-cli.js issue <guildId> <name>       name: who holds the token (1–100 characters)');
  console.error('  node dist/src/http/api-token-cli.js revoke <guildId> <tokenId>   the id printed when the token was issued');
  console.error('  guildId: the Discord server id (17–20 digits).');
  process.exit(EXIT_USAGE);
}

const database = await Database.connect({ url, poolSize: 1, entities: [ApiTokenSchema] });
try {
  if (command === 'issue') {
    const issued = await database.transaction((em) => issueApiToken(em, guildId, subject));
    // The token alone on stdout, so it can be piped into a secret store; the rest goes to stderr.
    console.log(issued.token);
    console.error(`Issued API token ${issued.id} ("${subject}") for server ${guildId}. It is shown only this once.`);
  } else if (await database.transaction((em) => revokeApiToken(em, guildId, subject))) {
    console.error(`Revoked API token ${subject} of server ${guildId}.`);
  } else {
    console.error(`Server ${guildId} has no live API token ${subject} (never issued, or already revoked).`);
    process.exitCode = EXIT_NOT_FOUND;
  }
} finally {
  await database.close();
}
