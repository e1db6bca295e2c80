// Engagement's exactly-once writes under retries and races, against PostgreSQL: a recognition's points are added
// once however often its activity runs, concurrent recognitions all count, and concurrent or out-of-order milestone
// updates celebrate each threshold once.
import { recordMilestoneUpdate } from '../../src/features/engagement/store/milestones.js';
import { awardRecognition, visOf } from '../../src/features/engagement/store/vis.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
const guildId = '200000000000000001';

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

const recognition = (recognitionId: string, volunteerId: string, points: number) => ({
  guildId,
  recognitionId,
  giverId: '200000000000000009',
  volunteerId,
  badge: 'contributing' as const,
  achievement: 'Sorted the donations.',
  points,
});

test('a retried recognition adds its points once and answers what the first attempt did', async () => {
  const volunteer = '200000000000000002';
  const first = await db.database.transaction((em) => awardRecognition(em, recognition('300000000000000001', volunteer, 10)));
  const retries = await Promise.all([1, 2, 3].map(() => db.database.transaction((em) => awardRecognition(em, recognition('300000000000000001', volunteer, 10)))));
  expect(first).toEqual({ scoreBefore: 0, scoreAfter: 10, counted: true });
  expect(retries).toEqual([1, 2, 3].map(() => ({ scoreBefore: 0, scoreAfter: 10, counted: false })));
  expect(await visOf(db.database.fork(), guildId, volunteer)).toMatchObject({ score: 10, recognitions: 1 });
});

test('recognitions of one volunteer at the same moment all count (the score row is locked)', async () => {
  const volunteer = '200000000000000003';
  await Promise.all(Array.from({ length: 8 }, (_, index) => db.database.transaction((em) => awardRecognition(em, recognition(`30000000000000010${index}`, volunteer, 5)))));
  expect(await visOf(db.database.fork(), guildId, volunteer)).toMatchObject({ score: 40, recognitions: 8 });
});

test('concurrent, replayed and out-of-order milestone updates celebrate each threshold once', async () => {
  const programId = 'race';
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
  await recordMilestoneUpdate(db.database, { guildId, programId, programName: 'Race', observedAt: at(0), values: { hours: 0 } });
  // Minutes 1–30, hours 20 per minute, delivered all at once in a shuffled order, each twice.
  const updates = Array.from({ length: 30 }, (_, index) => ({ minute: index + 1, hours: (index + 1) * 20 }));
  const deliveries = [...updates, ...updates].sort(() => Math.random() - 0.5);
  const outcomes = await Promise.all(
    deliveries.map(({ minute, hours }) => recordMilestoneUpdate(db.database, { guildId, programId, programName: 'Race', observedAt: at(minute), values: { hours } })),
  );
  const celebrated = outcomes.flatMap((outcome) => outcome.crossings.map((crossing) => crossing.threshold)).sort((a, b) => a - b);
  // Whatever order they land in, the accepted updates climb from 0 to 600, so each hundred is celebrated exactly once;
  // a late, lower value is ignored and cannot celebrate anything.
  expect(celebrated).toEqual([100, 200, 300, 400, 500, 600]);
  const [row] = await db.query<{ value: number }>(`select value from milestone_progress where program_id = 'race'`);
  expect(Number(row!.value)).toBe(600);
  const [rows] = await db.query<{ count: string }>(`select count(*) from milestone_celebrations where program_id = 'race'`);
  expect(Number(rows!.count)).toBe(celebrated.length);
  expect(outcomes.filter((outcome) => outcome.ignored.length > 0).length).toBeGreaterThanOrEqual(30);
});
