import { Migration } from '@mikro-orm/migrations';

export class Migration20261202070537_direct_channels extends Migration {

  override name = 'Migration20261202070537_direct_channels';

  override up(): void | Promise<void> {
    this.addSql(`create table "direct_channels" ("user_id" varchar(20) not null, "channel_id" varchar(20) not null, "opened_at" timestamptz not null default now(), primary key ("user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "direct_channels" cascade;`);
  }

}
