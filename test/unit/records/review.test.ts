// The review wizard: one card at a time, only the current card is live, and children follow their parent.
import { defaultRecordTypes } from '../../../workflows/records/record-types.js';
import { RecordReview, type ReviewStep } from '../../../workflows/records/record-review.js';
import type { ChildSuggestion, Suggestion } from '../../../workflows/records/suggestions.js';

const subjects = [
  { id: 'm3', name: 'Pinball 3' },
  { id: 'm4', name: 'Pinball 4' },
];

function record(recordType: string, description: string, subjectId?: string): ChildSuggestion {
  const suggestion = { recordType, description, sourceMessageIds: ['1001'], authorId: 'u-ana' };
  return subjectId ? { ...suggestion, subjectId } : suggestion;
}

// Steps: 0 problem report (children 1, 2), 3 part request (child 4), 5 log entry.
const suggestions: Suggestion[] = [
  {
    ...record('problem_report', 'Flipper coil dead', 'm3'),
    children: [record('log_entry', 'Ordered a coil', 'm3'), record('log_entry', 'Fixed it', 'm3')],
  },
  { ...record('part_request', 'Need a coil', 'm3'), children: [record('part_request_update', 'Coil shipped', 'm3')] },
  { ...record('log_entry', 'Cleaned the playfield'), children: [] },
];

function startReview(): RecordReview {
  return RecordReview.start(suggestions, { recordTypes: defaultRecordTypes, subjects });
}

function refused(reason: unknown) {
  return { ok: false, reason };
}

function statuses(review: RecordReview): string[] {
  return review.state.steps.map((step) => step.status);
}

test('suggestions are flattened into steps: each parent, then its children, with stable indices', () => {
  const steps = startReview().state.steps;
  expect(steps.map((step) => [step.index, step.recordType, step.parentStep])).toEqual([
    [0, 'problem_report', undefined],
    [1, 'log_entry', 0],
    [2, 'log_entry', 0],
    [3, 'part_request', undefined],
    [4, 'part_request_update', 3],
    [5, 'log_entry', undefined],
  ]);
  expect(steps.every((step) => step.status === 'pending')).toBe(true);
});

test('the current step is the first undecided one', () => {
  const review = startReview();
  expect(review.current()?.index).toBe(0);
  review.create(0, undefined, 'rec-1');
  expect(review.current()?.index).toBe(1);
  review.skip(1);
  expect(review.current()?.index).toBe(2);
});

test('a review without suggestions is finished from the start', () => {
  const review = RecordReview.start([], { recordTypes: defaultRecordTypes, subjects });
  expect(review.isFinished()).toBe(true);
  expect(review.current()).toBeUndefined();
  expect(review.summary()).toBe('Created 0, skipped 0');
  expect(review.validate({ type: 'skip', stepIndex: 0 })).toEqual(refused('This review is over.'));
});

describe('parent and children', () => {
  test('creating a parent links its children to the record created for it', () => {
    const review = startReview();
    const parent = review.create(0, undefined, 'rec-problem');
    expect(parent).toMatchObject({ index: 0, status: 'created', recordId: 'rec-problem' });
    expect(parent.parentRecordId).toBeUndefined();
    const child = review.create(1, undefined, 'rec-log');
    expect(child).toMatchObject({ recordId: 'rec-log', parentStep: 0, parentRecordId: 'rec-problem' });
    expect(review.state.steps[2]?.parentRecordId).toBe('rec-problem');
    expect(review.state.steps[4]?.parentRecordId).toBeUndefined();
  });

  test('skipping a parent skips its children, and the next card is the next parent', () => {
    const review = startReview();
    review.skip(0);
    expect(statuses(review)).toEqual(['skipped', 'skipped', 'skipped', 'pending', 'pending', 'pending']);
    expect(review.current()?.index).toBe(3);
    expect(review.validate({ type: 'create', stepIndex: 1 })).toEqual(refused('Item 2 was already skipped.'));
  });

  test('skipping a child leaves its siblings and parent as they are', () => {
    const review = startReview();
    review.create(0, undefined, 'rec-problem');
    review.skip(1);
    expect(statuses(review).slice(0, 3)).toEqual(['created', 'skipped', 'pending']);
  });
});

describe('clicks on cards', () => {
  test('a second click on the same card is refused, and applying it anyway throws', () => {
    const review = startReview();
    expect(review.validate({ type: 'create', stepIndex: 0 })).toEqual({ ok: true });
    review.create(0, undefined, 'rec-1');
    expect(review.validate({ type: 'create', stepIndex: 0 })).toEqual(refused('Item 1 was already created.'));
    expect(review.validate({ type: 'skip', stepIndex: 0 })).toEqual(refused('Item 1 was already created.'));
    expect(() => review.create(0, undefined, 'rec-2')).toThrow('Item 1 was already created.');
    expect(review.state.steps[0]?.recordId).toBe('rec-1');
  });

  test('a stale card, or one not up yet, is refused without changing anything', () => {
    const review = startReview();
    review.skip(0);
    const before = review.state;
    expect(review.validate({ type: 'skip', stepIndex: 0 })).toEqual(refused('Item 1 was already skipped.'));
    expect(review.validate({ type: 'create', stepIndex: 5 })).toEqual({
      ok: false,
      reason: 'Item 6 is not up yet: item 4 is.',
    });
    expect(() => review.skip(5)).toThrow('not up yet');
    expect(review.state).toBe(before);
  });

  test('a step that does not exist is refused', () => {
    const review = startReview();
    for (const stepIndex of [6, -1, 1.5]) {
      expect(review.validate({ type: 'skip', stepIndex })).toEqual(refused(expect.stringMatching(/no item/)));
    }
  });

  test('create needs the id of the record the workflow created', () => {
    const review = startReview();
    expect(() => review.create(0, undefined, '')).toThrow('needs the id');
    expect(review.current()?.index).toBe(0);
  });

  test('after the last step every click is refused: the review is over', () => {
    const review = startReview();
    for (const index of [0, 3, 5]) review.skip(index);
    expect(review.isFinished()).toBe(true);
    expect(review.validate({ type: 'create', stepIndex: 5 })).toEqual(refused('This review is over.'));
    expect(review.validate({ type: 'cancel' })).toEqual(refused('This review is over.'));
  });
});

describe('edits', () => {
  test('a create with edits records the edited description and subject', () => {
    const review = startReview();
    review.skip(0);
    const created = review.create(3, { description: '  Need two coils ', subjectId: 'm4' }, 'rec-part');
    expect(created).toMatchObject({ description: 'Need two coils', subjectId: 'm4', status: 'created' });
    expect(review.cardTitle(created)).toBe('Item 4 of 6: Part request — Pinball 4');
  });

  test('an edit that keeps a field leaves it as suggested', () => {
    const review = startReview();
    expect(review.create(0, { description: 'Left flipper coil dead' }, 'rec-1')).toMatchObject({
      description: 'Left flipper coil dead',
      subjectId: 'm3',
    });
  });

  test.each([
    ['a blank description', { description: '   ' }, 'The description cannot be empty.'],
    ['a description too long', { description: 'x'.repeat(1_001) }, 'The description is longer than 1000 characters.'],
    ['an unknown subject', { subjectId: 'm99' }, 'Item 1: unknown subject m99.'],
  ])('an edit with %s is refused', (_, edited, reason) => {
    const review = startReview();
    expect(review.validate({ type: 'create', stepIndex: 0, edited })).toEqual({ ok: false, reason });
    expect(() => review.create(0, edited, 'rec-1')).toThrow(reason);
  });
});

describe('cancel', () => {
  test('skips every undecided step and finishes the review', () => {
    const review = startReview();
    review.create(0, undefined, 'rec-1');
    review.cancel();
    expect(statuses(review)).toEqual(['created', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(review.state.cancelled).toBe(true);
    expect(review.summary()).toBe('Created 1, skipped 5');
    expect(review.validate({ type: 'create', stepIndex: 1 })).toEqual(refused('The review was cancelled.'));
  });

  test('clicked on a card, it is refused when that card is stale', () => {
    const review = startReview();
    review.skip(0);
    expect(review.validate({ type: 'cancel', stepIndex: 0 })).toEqual(refused('Item 1 was already skipped.'));
    review.cancel(3);
    expect(review.isFinished()).toBe(true);
  });
});

describe('cards', () => {
  test('the title names the position, the type label and the subject', () => {
    const review = startReview();
    const [problem, , , , update, log] = review.state.steps as ReviewStep[];
    expect(review.cardTitle(problem as ReviewStep)).toBe('Item 1 of 6: Problem report — Pinball 3');
    expect(review.cardTitle(update as ReviewStep)).toBe('Item 5 of 6: Part request update — Pinball 3');
    expect(review.cardTitle(log as ReviewStep)).toBe('Item 6 of 6: Log entry');
  });

  test('buttons are Create, Edit, Skip, with Cancel instead of Skip on the last card', () => {
    const review = startReview();
    const buttons = () => review.buttons(review.current() as ReviewStep);
    const actions = () => buttons().map((button) => button.action);
    expect(actions()).toEqual(['create', 'edit', 'skip']);
    expect(buttons().map((button) => button.label)).toEqual(['Create', 'Edit', 'Skip']);
    review.skip(0);
    review.skip(3);
    expect(actions()).toEqual(['create', 'edit', 'cancel']);
  });

  test('a parent whose children are still to come is not the last card', () => {
    const review = RecordReview.start([suggestions[1] as Suggestion], { recordTypes: defaultRecordTypes, subjects });
    expect(review.buttons(review.current() as ReviewStep).at(-1)?.action).toBe('skip');
    review.create(0, undefined, 'rec-part');
    expect(review.buttons(review.current() as ReviewStep).at(-1)?.action).toBe('cancel');
  });
});

test('summary counts created and skipped steps, cascades included', () => {
  const review = startReview();
  review.create(0, undefined, 'rec-1');
  review.create(1, undefined, 'rec-2');
  review.skip(2);
  review.skip(3);
  review.create(5, undefined, 'rec-3');
  expect(review.isFinished()).toBe(true);
  expect(review.summary()).toBe('Created 3, skipped 3');
});

test('the state is plain data: a review rebuilt from its JSON carries on where it was', () => {
  const review = startReview();
  review.create(0, { description: 'Coil dead' }, 'rec-problem');
  const restored = new RecordReview(JSON.parse(JSON.stringify(review.state)));
  expect(restored.state).toEqual(review.state);
  expect(restored.current()?.index).toBe(1);
  expect(restored.validate({ type: 'create', stepIndex: 0 })).toEqual(refused('Item 1 was already created.'));
  expect(restored.create(1, undefined, 'rec-log').parentRecordId).toBe('rec-problem');
});

test('a state handed out earlier is not changed by later actions', () => {
  const review = startReview();
  const before = review.state;
  const snapshot = JSON.stringify(before);
  review.create(0, undefined, 'rec-1');
  review.skip(1);
  expect(JSON.stringify(before)).toBe(snapshot);
});

test('children follow the record the store actually holds for their parent', () => {
  const review = startReview();
  review.create(0, undefined, 'chosen-id');
  review.recordStored(0, 'stored-id');
  expect(review.state.steps.slice(0, 3).map((step) => [step.recordId, step.parentRecordId])).toEqual([
    ['stored-id', undefined],
    [undefined, 'stored-id'],
    [undefined, 'stored-id'],
  ]);
});

test('a created step whose record could not be saved is pending again, its children unlinked', () => {
  const review = startReview();
  review.create(0, undefined, 'chosen-id');
  review.reopen(0);
  expect(statuses(review).slice(0, 3)).toEqual(['pending', 'pending', 'pending']);
  expect(review.state.steps.slice(0, 3).map((step) => [step.recordId, step.parentRecordId])).toEqual([
    [undefined, undefined],
    [undefined, undefined],
    [undefined, undefined],
  ]);
  expect(review.validate({ type: 'create', stepIndex: 0 })).toEqual({ ok: true });
});
