import { Migration } from '@mikro-orm/migrations';

export class Migration20261122020803_initial extends Migration {

  override name = 'Migration20261122020803_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "pings" ("id" varchar(200) not null, "message" varchar(500) not null, "attempts" int not null default 1, "created_at" timestamptz not null default now(), primary key ("id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pings" cascade;`);
  }

}
