import { Migration } from '@mikro-orm/migrations';

export class Migration20261202162937_digests extends Migration {

  override name = 'Migration20261202162937_digests';

  override up(): void | Promise<void> {
    this.addSql(`create table "digest_posts" ("guild_id" varchar(20) not null, "period_end" varchar(30) not null, "target" varchar(40) not null, "message_id" varchar(20) not null, "posted_at" timestamptz not null default now(), primary key ("guild_id", "period_end", "target"));`);

    this.addSql(`create table "digest_settings" ("guild_id" varchar(20) not null, "enabled" boolean not null default false, "channel_id" varchar(20) null, "day_of_week" int not null default 1, "hour" int not null default 9, "time_zone" varchar(64) not null default 'UTC', "llm_summary" boolean not null default false, "alert_channel_id" varchar(20) null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "digest_subscriptions" ("guild_id" varchar(20) not null, "user_id" varchar(20) not null, "subscribed_at" timestamptz not null default now(), primary key ("guild_id", "user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "digest_posts" cascade;`);
    this.addSql(`drop table if exists "digest_settings" cascade;`);
    this.addSql(`drop table if exists "digest_subscriptions" cascade;`);
  }

}
