// Who did it and when: a record names the maintainer behind the Discord author and the time of its sources,
// not the time a member happened to review it.

export interface Maintainer {
  id: string;
  name: string;
  aliases?: string[];
}

/** A member who confirmed once that this Discord account is that maintainer. */
export interface MaintainerLink {
  discordUserId: string;
  maintainerId: string;
}

export interface DiscordAuthor {
  id: string;
  username: string;
  displayName?: string;
}

export type Attribution =
  | { kind: 'linked'; maintainerId: string }
  | { kind: 'matched'; maintainerId: string }
  /** No maintainer, or several equally likely (`candidates`), so a member has to choose. */
  | { kind: 'none'; candidates: Maintainer[] };

/**
 * A saved link wins over any name. Otherwise the username or display name must equal a maintainer's name or
 * alias, ignoring case and surrounding spaces; two maintainers matching is a guess, so nobody is chosen.
 */
export function attributeAuthor(
  author: DiscordAuthor,
  directory: { links: readonly MaintainerLink[]; maintainers: readonly Maintainer[] },
): Attribution {
  const link = directory.links.find((candidate) => candidate.discordUserId === author.id);
  if (link) return { kind: 'linked', maintainerId: link.maintainerId };

  const authorNames = new Set([author.username, author.displayName].flatMap((name) => (name ? [normalise(name)] : [])));
  const candidates = directory.maintainers.filter((maintainer) =>
    [maintainer.name, ...(maintainer.aliases ?? [])].some((name) => authorNames.has(normalise(name))),
  );
  const [only] = candidates;
  return candidates.length === 1 && only ? { kind: 'matched', maintainerId: only.id } : { kind: 'none', candidates };
}

/** When the recorded thing happened: the latest of its source messages, as its ISO timestamp. */
export function occurredAt(sourceMessages: readonly { createdAt: string }[]): string | undefined {
  const dated = sourceMessages.filter((message) => !Number.isNaN(Date.parse(message.createdAt)));
  return dated.reduce<string | undefined>(
    (latest, { createdAt }) =>
      latest === undefined || Date.parse(createdAt) > Date.parse(latest) ? createdAt : latest,
    undefined,
  );
}

function normalise(name: string): string {
  return name.trim().toLowerCase();
}
