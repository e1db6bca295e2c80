// The adapter's rulebook reads every server that needs it: raid protection on, or only the screening gate on.
import { DEFAULT_SCREENING } from '../../src/features/raid/screening-settings.js';
import { DEFAULT_RAID_SETTINGS, protectedServers, saveRaidSettings } from '../../src/features/raid/settings.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

test('servers with protection on, or only their screening gate, are read; servers with neither are not', async () => {
  await db.database.transaction(async (em) => {
    await saveRaidSettings(em, '100000000000000001', { ...DEFAULT_RAID_SETTINGS, enabled: true });
    await saveRaidSettings(em, '100000000000000002', { ...DEFAULT_RAID_SETTINGS, screening: { ...DEFAULT_SCREENING, enabled: true, memberRoleId: '100000000000000009' } });
    await saveRaidSettings(em, '100000000000000003', DEFAULT_RAID_SETTINGS);
  });
  const servers = await protectedServers(db.database.fork());
  expect(servers.map((server) => server.guildId).sort()).toEqual(['100000000000000001', '100000000000000002']);
  expect(servers.find((server) => server.guildId === '100000000000000002')!.screening).toMatchObject({ enabled: true, memberRoleId: '100000000000000009' });
});
