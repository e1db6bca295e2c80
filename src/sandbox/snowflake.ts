// Discord-compatible snowflake ids: 42 bits of milliseconds since the Discord epoch, then worker, process and counter.
export const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;

/** A fresh snowflake for the given creation time; ids created in the same millisecond stay ordered. */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return ((BigInt(at) - DISCORD_EPOCH) << 22n | (1n << 17n) | increment).toString();
}

/** The creation time encoded in a snowflake, in milliseconds since the Unix epoch. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Compares two snowflakes numerically (they are strings, and lexical order breaks across digit counts). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
