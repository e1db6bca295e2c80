import { Migration } from '@mikro-orm/migrations';

export class Migration20261202072347_raid extends Migration {

  override name = 'Migration20261202072347_raid';

  override up(): void | Promise<void> {
    this.addSql(`create table "raid_settings" ("guild_id" varchar(20) not null, "enabled" boolean not null default false, "join_threshold" int not null default 10, "join_window_seconds" int not null default 10, "young_account_days" int not null default 7, "channel_ids" jsonb not null, "alert_channel_id" varchar(20) null, "start_level" int not null default 1, "slowmode_seconds" int not null default 30, "raised_verification_level" int not null default 3, "quiet_minutes" int not null default 10, "join_action" varchar(10) not null default 'timeout', "join_timeout_minutes" int not null default 60, "spam" jsonb not null, "screening" jsonb not null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`alter table "moderation_cases" add "timeline" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "raid_settings" cascade;`);

    this.addSql(`alter table "moderation_cases" drop column "timeline";`);
  }

}
