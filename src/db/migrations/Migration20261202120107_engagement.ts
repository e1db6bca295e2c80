import { Migration } from '@mikro-orm/migrations';

export class Migration20261202120107_engagement extends Migration {

  override name = 'Migration20261202120107_engagement';

  override up(): void | Promise<void> {
    this.addSql(`create table "engagement_settings" ("guild_id" varchar(20) not null, "review_enabled" boolean not null default false, "review_channel_id" varchar(20) null, "reviewer_role_ids" jsonb not null, "review_timeout_hours" int not null default 72, "reaction_feedback" boolean not null default true, "recognition_channel_id" varchar(20) null, "recognizer_role_ids" jsonb not null, "level_role_ids" jsonb not null, "demote_levels" boolean not null default false, "milestone_channel_id" varchar(20) null, "admin_alert_channel_id" varchar(20) null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "feedback" ("id" varchar(100) not null, "guild_id" varchar(20) not null, "tracking_id" varchar(16) not null, "user_id" varchar(20) not null, "kind" varchar(10) not null, "text" text not null, "sentiment" varchar(10) null, "channel_id" varchar(20) null, "analysis_status" varchar(12) not null, "analysis" jsonb null, "share_status" varchar(16) not null, "reviewer_id" varchar(20) null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "feedback_guild_id_created_at_index" on "feedback" ("guild_id", "created_at");`);
    this.addSql(`create index "feedback_analysis_status_index" on "feedback" ("analysis_status");`);
    this.addSql(`alter table "feedback" add constraint "feedback_guild_id_tracking_id_unique" unique ("guild_id", "tracking_id");`);

    this.addSql(`create table "milestone_celebrations" ("guild_id" varchar(20) not null, "program_id" varchar(100) not null, "metric" varchar(12) not null, "threshold" int not null, "program_name" varchar(200) not null, "status" varchar(10) not null, "created_at" timestamptz not null default now(), primary key ("guild_id", "program_id", "metric", "threshold"));`);
    this.addSql(`create index "milestone_celebrations_status_created_at_index" on "milestone_celebrations" ("status", "created_at");`);

    this.addSql(`create table "milestone_progress" ("guild_id" varchar(20) not null, "program_id" varchar(100) not null, "metric" varchar(12) not null, "value" double precision not null, "observed_at" timestamptz not null, primary key ("guild_id", "program_id", "metric"));`);

    this.addSql(`create table "recognitions" ("id" varchar(20) not null, "guild_id" varchar(20) not null, "giver_id" varchar(20) not null, "volunteer_id" varchar(20) not null, "badge" varchar(16) not null, "points" int not null, "achievement" varchar(200) not null, "score_before" int not null, "score_after" int not null, "created_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "recognitions_guild_id_volunteer_id_index" on "recognitions" ("guild_id", "volunteer_id");`);

    this.addSql(`create table "vis_scores" ("guild_id" varchar(20) not null, "user_id" varchar(20) not null, "score" int not null default 0, "recognitions" int not null default 0, "updated_at" timestamptz not null default now(), primary key ("guild_id", "user_id"));`);

    this.addSql(`create table "volunteer_links" ("guild_id" varchar(20) not null, "user_id" varchar(20) not null, "platform_user_id" varchar(100) not null, "linked_at" timestamptz not null default now(), primary key ("guild_id", "user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "engagement_settings" cascade;`);
    this.addSql(`drop table if exists "feedback" cascade;`);
    this.addSql(`drop table if exists "milestone_celebrations" cascade;`);
    this.addSql(`drop table if exists "milestone_progress" cascade;`);
    this.addSql(`drop table if exists "recognitions" cascade;`);
    this.addSql(`drop table if exists "vis_scores" cascade;`);
    this.addSql(`drop table if exists "volunteer_links" cascade;`);
  }

}
