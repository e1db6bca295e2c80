// Helpers for raw SQL through `em.execute`, which expands an array parameter into a value list: arrays travel
// as one JSON parameter instead, and timestamp columns (returned as PostgreSQL text) leave as ISO strings.

/** SQL for the rows of a JSON array of strings passed as one parameter, e.g. `id in (${textArray})`. */
export const textArray = 'select jsonb_array_elements_text(?::jsonb)';

/** The parameter that goes with `textArray`. */
export function textArrayParam(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** ISO strings, not Dates, so results survive JSON (HTTP answers, Temporal payloads) unchanged. */
export function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}
