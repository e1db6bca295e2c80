// Discord ids are snowflakes: their top bits are the creation time in milliseconds since Discord's epoch (2015).
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When the thing with this id (an account, a message) was created, in milliseconds since the Unix epoch. */
export function createdAt(snowflake: string): number {
  return Number((BigInt(snowflake) >> 22n) + DISCORD_EPOCH_MS);
}
