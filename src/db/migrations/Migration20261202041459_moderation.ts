import { Migration } from '@mikro-orm/migrations';

export class Migration20261202041459_moderation extends Migration {

  override name = 'Migration20261202041459_moderation';

  override up(): void | Promise<void> {
    this.addSql(`create table "moderation_case_counters" ("guild_id" varchar(20) not null, "last" int not null, primary key ("guild_id"));`);

    this.addSql(`create table "moderation_member_points" ("guild_id" varchar(20) not null, "member_id" varchar(20) not null, "balance" numeric(12,6) not null, "balance_at" timestamptz not null, primary key ("guild_id", "member_id"));`);

    this.addSql(`create table "moderation_cases" ("id" varchar(120) not null, "guild_id" varchar(20) not null, "number" int not null, "kind" varchar(10) not null, "target_id" varchar(20) not null, "moderator_id" varchar(20) null, "source" varchar(10) not null, "reason" varchar(512) not null, "reason_history" jsonb not null, "evidence" jsonb not null, "points" numeric(10,4) not null default 0, "balance_after" numeric(10,4) null, "duration_seconds" int null, "expires_at" timestamptz null, "status" varchar(12) not null, "approval_case_id" varchar(40) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "moderation_cases_guild_id_target_id_index" on "moderation_cases" ("guild_id", "target_id");`);
    this.addSql(`alter table "moderation_cases" add constraint "moderation_cases_guild_id_number_unique" unique ("guild_id", "number");`);

    this.addSql(`create table "moderation_settings" ("guild_id" varchar(20) not null, "moderator_role_ids" jsonb not null, "direct_action_role_ids" jsonb not null, "ladder" jsonb not null, "decay_interval_seconds" int not null default 604800, "mute_role_id" varchar(20) null, "automod" jsonb not null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "moderation_case_counters" cascade;`);
    this.addSql(`drop table if exists "moderation_member_points" cascade;`);
    this.addSql(`drop table if exists "moderation_cases" cascade;`);
    this.addSql(`drop table if exists "moderation_settings" cascade;`);
  }

}
