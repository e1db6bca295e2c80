// Untrusted text in a prompt: one JSON value per line, with "<" and ">" escaped so that nothing in the text can
// open or close the tags that mark where quoted data starts and ends.

/**
 * JSON with `<`, `>` and the Unicode line separators escaped: the value still parses to the same text, but chat text
 * can no longer spell a closing tag or break a line, so it cannot end its block early, for the model or the parser.
 */
export function jsonLine(value: unknown): string {
  const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value).replace(/[<>\u2028\u2029]/g, escape);
}
