import { Migration } from '@mikro-orm/migrations';

export class Migration20261202160844_leveling extends Migration {

  override name = 'Migration20261202160844_leveling';

  override up(): void | Promise<void> {
    this.addSql(`create table "leveling_settings" ("guild_id" varchar(20) not null, "enabled" boolean not null default true, "curve" jsonb not null, "xp_min" int not null default 15, "xp_max" int not null default 25, "cooldown_seconds" int not null default 60, "channel_multipliers" jsonb not null, "role_multipliers" jsonb not null, "ignored_channel_ids" jsonb not null, "role_rewards" jsonb not null, "reward_mode" varchar(10) not null, "announce" varchar(10) not null, "announce_channel_id" varchar(20) null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "member_levels" ("guild_id" varchar(20) not null, "user_id" varchar(20) not null, "xp" int not null default 0, "level" int not null default 0, "rewarded_level" int not null default 0, "generation" int not null default 0, "messages" int not null default 0, "last_channel_id" varchar(20) null, "last_awarded_at" timestamptz null, "updated_at" timestamptz not null default now(), primary key ("guild_id", "user_id"));`);
    this.addSql(`create index "member_levels_guild_id_xp_index" on "member_levels" ("guild_id", "xp");`);

    this.addSql(`create table "xp_days" ("guild_id" varchar(20) not null, "day" date not null, "user_id" varchar(20) not null, "xp" int not null default 0, primary key ("guild_id", "day", "user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "leveling_settings" cascade;`);
    this.addSql(`drop table if exists "member_levels" cascade;`);
    this.addSql(`drop table if exists "xp_days" cascade;`);
  }

}
