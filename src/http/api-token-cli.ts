// Operator CLI: `DATABASE_URL=… node dist/src/http/api-token-cli.js <guildId> <name>` issues an API token
// for one server and prints it once; only its hash is stored, so it cannot be shown again.
import { Database } from '../db/database.js';
import { ApiTokenSchema, issueApiToken } from './api-tokens.js';

const EXIT_USAGE = 64; // EX_USAGE from sysexits.h

const [guildId, name] = process.argv.slice(2).map((argument) => argument.trim());
const url = process.env.DATABASE_URL;
if (!url || !guildId || !/^\d{17,20}$/.test(guildId) || !name || name.length > 100) {
  console.error('Usage: DATABASE_URL=postgresql://… node dist/src/http/api-token-cli.js <guildId> <name>');
  console.error('  guildId: the Discord server id (17–20 digits); name: who holds the token (1–100 characters).');
  process.exit(EXIT_USAGE);
}

const database = await Database.connect({ url, poolSize: 1, entities: [ApiTokenSchema] });
try {
  const issued = await database.transaction((em) => issueApiToken(em, guildId, name));
  // The token alone on stdout, so it can be piped into a secret store; the rest goes to stderr.
  console.log(issued.token);
  console.error(`Issued API token ${issued.id} ("${name}") for server ${guildId}. It is shown only this once.`);
} finally {
  await database.close();
}
