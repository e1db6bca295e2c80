import { Migration } from '@mikro-orm/migrations';

export class Migration20261202155613_celebration_batches extends Migration {

  override name = 'Migration20261202155613_celebration_batches';

  override up(): void | Promise<void> {
    this.addSql(`alter table "milestone_celebrations" add "batch_id" varchar(36) null, add "claimed_at" timestamptz null;`);
    this.addSql(`create index "milestone_celebrations_batch_id_index" on "milestone_celebrations" ("batch_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "milestone_celebrations_batch_id_index";`);
    this.addSql(`alter table "milestone_celebrations" drop column "batch_id", drop column "claimed_at";`);
  }

}
