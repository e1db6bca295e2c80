// What a suggestion is, in the domain's words: the shape a member steps through. The LLM's side (its forced tool
// and the checks its answer passes) is I/O's business and lives in activities/records/suggestions.ts.
/** Long enough for a detailed repair note, short enough for a review card and an edit modal. */
export const MAX_DESCRIPTION_LENGTH = 1_000;

export interface ChildSuggestion {
  recordType: string;
  description: string;
  sourceMessageIds: string[];
  authorId: string;
  subjectId?: string;
}

export interface Suggestion extends ChildSuggestion {
  children: ChildSuggestion[];
}
