import { Migration } from '@mikro-orm/migrations';

export class Migration20261202030549_approvals extends Migration {

  override name = 'Migration20261202030549_approvals';

  override up(): void | Promise<void> {
    this.addSql(`create table "approval_requests" ("id" varchar(100) not null, "guild_id" varchar(20) not null, "case_id" varchar(40) not null, "action" jsonb not null, "target_id" varchar(20) not null, "reason" varchar(512) not null, "requester_id" varchar(20) null, "status" varchar(16) not null, "card_message_id" varchar(20) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "approval_requests_guild_id_index" on "approval_requests" ("guild_id");`);
    this.addSql(`alter table "approval_requests" add constraint "approval_requests_guild_id_case_id_unique" unique ("guild_id", "case_id");`);

    this.addSql(`create table "approval_settings" ("guild_id" varchar(20) not null, "channel_id" varchar(20) not null, "approver_role_ids" jsonb not null, "quorum" int not null default 1, "allow_self_approval" boolean not null default false, "timeout_seconds" jsonb not null, "auto_approve_types" jsonb not null, "alert_channel_id" varchar(20) null, "alert_after_seconds" int not null default 3600, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "moderation_log" ("id" varchar(120) not null, "guild_id" varchar(20) not null, "case_id" varchar(40) not null, "kind" varchar(20) not null, "actor_id" varchar(20) null, "target_id" varchar(20) not null, "detail" jsonb not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "moderation_log_guild_id_index" on "moderation_log" ("guild_id");`);
    this.addSql(`create index "moderation_log_created_at_index" on "moderation_log" ("created_at");`);
    this.addSql(`create index "moderation_log_guild_id_target_id_index" on "moderation_log" ("guild_id", "target_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "approval_requests" cascade;`);
    this.addSql(`drop table if exists "approval_settings" cascade;`);
    this.addSql(`drop table if exists "moderation_log" cascade;`);
  }

}
