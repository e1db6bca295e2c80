// `npm run migration:create`: diffs the entities against a scratch database that has every committed migration
// applied, and writes the difference as a new migration in src/db/migrations (then list it in index.ts).
import pg from 'pg';
import { Database } from './db/database.js';
import { stewardEntities } from './features/index.js';

const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const scratch = `steward_migration_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${scratch}`);
try {
  const url = new URL(adminUrl);
  url.pathname = `/${scratch}`;
  const database = await Database.connect({ url: url.toString(), poolSize: 2, entities: stewardEntities });
  try {
    await database.migrate();
    const result = await database.orm.migrator.create('src/db/migrations', false, false, process.argv[2]);
    console.log(result.fileName ? `Wrote src/db/migrations/${result.fileName}` : 'No schema changes.');
  } finally {
    await database.close();
  }
} finally {
  await admin.query(`drop database ${scratch}`);
  await admin.end();
}
