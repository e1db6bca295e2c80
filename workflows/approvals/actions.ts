// What an approval can be asked for, how it reads on a card, and which actions are milder than which (Modify may
// only make an action milder). Pure rules, shared by the workflow, the card and the adapters.
/** From the mildest to the harshest: Modify may move an action down this list, never up. */
export const ACTION_TYPES = ['timeout', 'kick', 'ban'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** Discord caps a member timeout at 28 days. */
export const MAX_TIMEOUT_SECONDS = 28 * 24 * 3600;

/** What an approver may be asked to apply; src/features/approvals/action-schema.ts checks it where it arrives. */
export type ApprovalAction =
  | { type: 'timeout'; durationSeconds: number }
  | { type: 'kick' }
  | { type: 'ban'; deleteMessageSeconds?: number };

/** Kick and ban cannot be undone by waiting: a server may let only the others approve themselves on timeout. */
export function isDestructive(type: ActionType): boolean {
  return type !== 'timeout';
}

export function isMilderOrEqual(candidate: ApprovalAction, original: ApprovalAction): boolean {
  const rank = (action: ApprovalAction) => ACTION_TYPES.indexOf(action.type);
  if (rank(candidate) !== rank(original)) return rank(candidate) < rank(original);
  return candidate.type !== 'timeout' || original.type !== 'timeout' || candidate.durationSeconds <= original.durationSeconds;
}

/** "Ban", "Kick", "Timeout for 2 hours". */
export function describeAction(action: ApprovalAction): string {
  if (action.type === 'timeout') return `Timeout for ${describeDuration(action.durationSeconds)}`;
  return action.type === 'ban' ? 'Ban' : 'Kick';
}

export function describeDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** Reads "90m", "2h", "1d", "2w", "3600" (seconds) as moderators type them; undefined when it is none of these. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d{1,7})\s*([smhdw]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const size = { '': 1, s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 }[match[2]!.toLowerCase() as '' | 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * size;
}
