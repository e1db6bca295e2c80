// Failures the store reports by kind, so each caller translates them its own way (an HTTP status, a
// non-retryable activity failure) instead of matching on messages.

/** One problem with one input field, named as in the store's input types (camelCase). */
export interface FieldIssue {
  field: string;
  message: string;
}

export type StoreErrorKind = 'invalid' | 'not_found' | 'conflict';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly kind: StoreErrorKind,
    readonly code: string,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}
