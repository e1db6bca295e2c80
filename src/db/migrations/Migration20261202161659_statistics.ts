import { Migration } from '@mikro-orm/migrations';

export class Migration20261202161659_statistics extends Migration {

  override name = 'Migration20261202161659_statistics';

  override up(): void | Promise<void> {
    this.addSql(`create table "channel_hours" ("guild_id" varchar(20) not null, "channel_id" varchar(20) not null, "hour" timestamptz not null, "messages" int not null default 0, "commands" int not null default 0, "joins" int not null default 0, "leaves" int not null default 0, "active_members" int not null default 0, primary key ("guild_id", "channel_id", "hour"));`);
    this.addSql(`create index "channel_hours_guild_id_hour_index" on "channel_hours" ("guild_id", "hour");`);

    this.addSql(`create table "guild_days" ("guild_id" varchar(20) not null, "day" date not null, "messages" int not null default 0, "commands" int not null default 0, "joins" int not null default 0, "leaves" int not null default 0, "active_members" int not null default 0, "rolled_up_at" timestamptz not null default now(), primary key ("guild_id", "day"));`);

    this.addSql(`create table "member_days" ("guild_id" varchar(20) not null, "day" date not null, "user_id" varchar(20) not null, "messages" int not null default 0, primary key ("guild_id", "day", "user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "channel_hours" cascade;`);
    this.addSql(`drop table if exists "guild_days" cascade;`);
    this.addSql(`drop table if exists "member_days" cascade;`);
  }

}
