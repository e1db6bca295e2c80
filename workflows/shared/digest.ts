// The weekly digest's contract between the digests feature and every feature that has something to report: a
// period, and a section (a title and its lines, Discord markdown). A feature with nothing to say for the period
// gives no section, and the digest leaves it out.
export interface DigestPeriod {
  guildId: string;
  /** ISO instants: the week in the server's time zone, [from, to). */
  from: string;
  to: string;
  timeZone: string;
}

export interface DigestSection {
  title: string;
  /** One fact a line; the digest fits them to Discord's embed limits. */
  lines: string[];
}
