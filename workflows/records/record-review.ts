// The review wizard: the member steps through the suggested records one card at a time (Create, Edit, Skip).
// It is plain data behind a small class, so the workflow can answer Updates from it and carry it across
// continue-as-new; it decides nothing from the clock or chance, so it replays identically.
import { findRecordType, type RecordTypeConfig } from './record-types.js';
import { findSubject, type Subject } from './subjects.js';
import { MAX_DESCRIPTION_LENGTH, type ChildSuggestion, type Suggestion } from './suggestions.js';

export type StepStatus = 'pending' | 'created' | 'skipped';

/** One card: a suggested record, at a stable index that buttons name in their custom ids. */
export interface ReviewStep extends ChildSuggestion {
  index: number;
  /** Index of the step this one belongs under; its record links to that step's record. */
  parentStep?: number;
  status: StepStatus;
  /** The id the workflow chose for the record when the member created it. */
  recordId?: string;
  /** Set once the parent step is created: the record this one links to. */
  parentRecordId?: string;
}

export interface ReviewState {
  steps: ReviewStep[];
  /** Snapshots taken when the review started, so that a configuration change cannot alter a running review. */
  recordTypes: RecordTypeConfig[];
  subjects: Subject[];
  cancelled: boolean;
}

/** What the Edit modal may change; an absent field keeps the suggestion's value. */
export interface RecordEdits {
  description?: string;
  subjectId?: string;
}

/** A click, naming the step whose card it was clicked on. A cancel without a step comes from the workflow itself. */
export type ReviewAction =
  | { type: 'create'; stepIndex: number; edited?: RecordEdits }
  | { type: 'skip'; stepIndex: number }
  | { type: 'cancel'; stepIndex?: number };

export type ActionVerdict = { ok: true } | { ok: false; reason: string };

export interface CardButton {
  action: 'create' | 'edit' | 'skip' | 'cancel';
  label: string;
}

export class RecordReview {
  #state: ReviewState;

  constructor(state: ReviewState) {
    this.#state = state;
  }

  /** Parents come before their children, so a child's card only shows once its parent is decided. */
  static start(
    suggestions: readonly Suggestion[],
    catalogue: { recordTypes: readonly RecordTypeConfig[]; subjects: readonly Subject[] },
  ): RecordReview {
    const steps: ReviewStep[] = [];
    for (const { children, ...parent } of suggestions) {
      const parentStep = steps.length;
      steps.push({ ...parent, index: parentStep, status: 'pending' });
      for (const child of children) steps.push({ ...child, index: steps.length, parentStep, status: 'pending' });
    }
    return new RecordReview({
      steps,
      recordTypes: [...catalogue.recordTypes],
      subjects: [...catalogue.subjects],
      cancelled: false,
    });
  }

  /** Plain data for a query, a continue-as-new argument or a new RecordReview. */
  get state(): ReviewState {
    return this.#state;
  }

  current(): ReviewStep | undefined {
    return this.#state.steps.find((step) => step.status === 'pending');
  }

  isFinished(): boolean {
    return this.current() === undefined;
  }

  /**
   * Whether an action may be applied now; meant for the Update validator, so a stale card or a second click is
   * refused before it reaches history. Only the current step's card is live.
   */
  validate(action: ReviewAction): ActionVerdict {
    const current = this.current();
    if (!current) return refuse(this.#state.cancelled ? 'The review was cancelled.' : 'This review is over.');
    if (action.stepIndex === undefined) return { ok: true };
    const step = this.#state.steps[action.stepIndex];
    if (!step) return refuse(`There is no item ${action.stepIndex + 1}.`);
    if (step.status !== 'pending') return refuse(`Item ${step.index + 1} was already ${step.status}.`);
    if (step.index !== current.index) {
      return refuse(`Item ${step.index + 1} is not up yet: item ${current.index + 1} is.`);
    }
    return action.type === 'create' && action.edited ? this.#checkEdits(step, action.edited) : { ok: true };
  }

  /**
   * Marks the step created and links its children to `createdRecordId`. The workflow chooses that id before
   * writing (e.g. with its deterministic uuid4), so it can apply the click at once: a click arriving while the
   * write runs is then already stale. Returns the record to write.
   */
  create(stepIndex: number, edited: RecordEdits | undefined, createdRecordId: string): ReviewStep {
    this.#apply({ type: 'create', stepIndex, ...(edited ? { edited } : {}) });
    if (!createdRecordId) throw new Error(`Item ${stepIndex + 1} needs the id of the record created for it.`);
    const created = this.#replace(stepIndex, (step) => ({
      ...step,
      ...(edited?.description === undefined ? {} : { description: edited.description.trim() }),
      ...(edited?.subjectId === undefined ? {} : { subjectId: edited.subjectId }),
      status: 'created',
      recordId: createdRecordId,
    }));
    for (const child of this.#childrenOf(stepIndex)) {
      this.#replace(child.index, (step) => ({ ...step, parentRecordId: createdRecordId }));
    }
    return created;
  }

  /**
   * The store answered with the record it holds for this step (an earlier write under the same key wins over the
   * id chosen at the click): the step and its children follow the stored record.
   */
  recordStored(stepIndex: number, recordId: string): void {
    const step = this.#state.steps[stepIndex];
    if (step?.status !== 'created') throw new Error(`Item ${stepIndex + 1} was not created.`);
    if (step.recordId === recordId) return;
    this.#replace(stepIndex, (created) => ({ ...created, recordId }));
    for (const child of this.#childrenOf(stepIndex)) this.#replace(child.index, (linked) => ({ ...linked, parentRecordId: recordId }));
  }

  /** The record of a created step could not be saved: the step is pending again, its children unlinked. */
  reopen(stepIndex: number): void {
    const step = this.#state.steps[stepIndex];
    if (step?.status !== 'created') throw new Error(`Item ${stepIndex + 1} was not created.`);
    this.#replace(stepIndex, ({ recordId: _recordId, ...rest }) => ({ ...rest, status: 'pending' }));
    for (const child of this.#childrenOf(stepIndex)) {
      this.#replace(child.index, ({ parentRecordId: _parentRecordId, ...rest }) => rest);
    }
  }

  /** A child means nothing without its parent: skipping a parent skips its children too. */
  skip(stepIndex: number): void {
    this.#apply({ type: 'skip', stepIndex });
    for (const index of [stepIndex, ...this.#childrenOf(stepIndex).map((child) => child.index)]) {
      this.#replace(index, (step) => ({ ...step, status: 'skipped' }));
    }
  }

  /** Ends the review: every step not yet decided is skipped. */
  cancel(stepIndex?: number): void {
    this.#apply(stepIndex === undefined ? { type: 'cancel' } : { type: 'cancel', stepIndex });
    this.#state = {
      ...this.#state,
      steps: this.#state.steps.map((step) => (step.status === 'pending' ? { ...step, status: 'skipped' } : step)),
      cancelled: true,
    };
  }

  /** "Item 2 of 5: Problem report — Pinball 3". Steps skipped with their parent still count in the total. */
  cardTitle(step: ReviewStep): string {
    const label = findRecordType(this.#state.recordTypes, step.recordType)?.label ?? step.recordType;
    const subject = step.subjectId === undefined ? undefined : findSubject(this.#state.subjects, step.subjectId);
    const title = `Item ${step.index + 1} of ${this.#state.steps.length}: ${label}`;
    return subject ? `${title} — ${subject.name}` : title;
  }

  /**
   * Create, Edit, Skip; on the last card Cancel takes Skip's place, as leaving the last record out ends the
   * review. Edit opens a modal whose submission is a create with edits, so it is no action of its own here.
   */
  buttons(step: ReviewStep): CardButton[] {
    const isLast = this.#state.steps.every((other) => other.index <= step.index || other.status !== 'pending');
    return [
      { action: 'create', label: 'Create' },
      { action: 'edit', label: 'Edit' },
      isLast ? { action: 'cancel', label: 'Cancel' } : { action: 'skip', label: 'Skip' },
    ];
  }

  /** "Created 2, skipped 1". */
  summary(): string {
    const count = (status: StepStatus) => this.#state.steps.filter((step) => step.status === status).length;
    return `Created ${count('created')}, skipped ${count('skipped')}`;
  }

  #checkEdits(step: ReviewStep, edited: RecordEdits): ActionVerdict {
    if (edited.description !== undefined) {
      const description = edited.description.trim();
      if (!description) return refuse('The description cannot be empty.');
      // A NUL or a lone surrogate could never be stored: refused here, before the click is taken.
      if (description.includes('\u0000') || !description.isWellFormed()) return refuse('The description contains characters that cannot be saved.');
      if ([...description].length > MAX_DESCRIPTION_LENGTH) {
        return refuse(`The description is longer than ${MAX_DESCRIPTION_LENGTH} characters.`);
      }
    }
    if (edited.subjectId !== undefined && !findSubject(this.#state.subjects, edited.subjectId)) {
      return refuse(`Item ${step.index + 1}: unknown subject ${edited.subjectId}.`);
    }
    return { ok: true };
  }

  /** Applying an action the validator would refuse is a bug in the caller, not a member's mistake. */
  #apply(action: ReviewAction): void {
    const verdict = this.validate(action);
    if (!verdict.ok) throw new Error(verdict.reason);
  }

  #childrenOf(stepIndex: number): ReviewStep[] {
    return this.#state.steps.filter((step) => step.parentStep === stepIndex);
  }

  // Steps are replaced, never changed in place, so a state handed out earlier stays as it was.
  #replace(index: number, change: (step: ReviewStep) => ReviewStep): ReviewStep {
    const changed = change(this.#state.steps[index] as ReviewStep);
    this.#state = { ...this.#state, steps: this.#state.steps.map((step) => (step.index === index ? changed : step)) };
    return changed;
  }
}

function refuse(reason: string): ActionVerdict {
  return { ok: false, reason };
}
