import { Migration } from '@mikro-orm/migrations';

export class Migration20261122025131_records extends Migration {

  override name = 'Migration20261122025131_records';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_tokens" ("id" varchar(64) not null, "guild_id" varchar(20) not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_tokens_guild_id_index" on "api_tokens" ("guild_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "llm_usage" ("id" varchar(200) not null, "guild_id" varchar(20) not null, "flow" varchar(50) not null, "provider" varchar(20) not null, "model" varchar(100) not null, "input_tokens" int not null, "output_tokens" int not null, "cost_usd" numeric(12,6) not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "llm_usage_guild_id_index" on "llm_usage" ("guild_id");`);

    this.addSql(`create table "maintainers" ("id" varchar(64) not null, "guild_id" varchar(20) not null, "name" varchar(100) not null, "aliases" text[] not null default '{}', "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "maintainers_guild_id_index" on "maintainers" ("guild_id");`);

    this.addSql(`create table "maintainer_links" ("guild_id" varchar(20) not null, "discord_user_id" varchar(20) not null, "maintainer_id" varchar(64) not null, "via" varchar(16) not null, "created_at" timestamptz not null default now(), primary key ("guild_id", "discord_user_id"));`);

    this.addSql(`create table "records" ("id" varchar(64) not null, "guild_id" varchar(20) not null, "record_type" varchar(50) not null, "description" varchar(1000) not null, "subject_id" varchar(64) null, "parent_id" varchar(64) null, "author_discord_id" varchar(20) null, "maintainer_id" varchar(64) null, "occurred_at" timestamptz not null, "origin" varchar(16) not null, "created_by" varchar(100) not null, "idempotency_key" varchar(200) not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "records_guild_id_index" on "records" ("guild_id");`);
    this.addSql(`create index "records_parent_id_index" on "records" ("parent_id");`);
    this.addSql(`alter table "records" add constraint "records_idempotency_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "record_reviews" ("id" varchar(100) not null, "guild_id" varchar(20) not null, "channel_id" varchar(20) not null, "message_id" varchar(20) not null, "reviewer_id" varchar(20) not null, "status" varchar(16) not null, "created" int not null default 0, "skipped" int not null default 0, "started_at" timestamptz not null default now(), "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "record_reviews" add constraint "record_reviews_guild_id_message_id_unique" unique ("guild_id", "message_id");`);

    this.addSql(`create table "record_settings" ("guild_id" varchar(20) not null, "record_types" jsonb null, "notification_channel_id" varchar(20) null, "notification_webhook_url" varchar(300) null, "notify_types" jsonb null, "records_url" varchar(300) null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "record_sources" ("record_id" varchar(64) not null, "message_id" varchar(20) not null, "guild_id" varchar(20) not null, "channel_id" varchar(20) not null, primary key ("record_id", "message_id"));`);
    this.addSql(`create index "record_sources_message_id_index" on "record_sources" ("message_id");`);

    this.addSql(`create table "subjects" ("id" varchar(64) not null, "guild_id" varchar(20) not null, "name" varchar(100) not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "subjects_guild_id_index" on "subjects" ("guild_id");`);
    this.addSql(`alter table "subjects" add constraint "subjects_guild_id_name_unique" unique ("guild_id", "name");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_tokens" cascade;`);
    this.addSql(`drop table if exists "llm_usage" cascade;`);
    this.addSql(`drop table if exists "maintainers" cascade;`);
    this.addSql(`drop table if exists "maintainer_links" cascade;`);
    this.addSql(`drop table if exists "records" cascade;`);
    this.addSql(`drop table if exists "record_reviews" cascade;`);
    this.addSql(`drop table if exists "record_settings" cascade;`);
    this.addSql(`drop table if exists "record_sources" cascade;`);
    this.addSql(`drop table if exists "subjects" cascade;`);
  }

}
