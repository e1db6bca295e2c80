import { Migration } from '@mikro-orm/migrations';

export class Migration20261202050724_events extends Migration {

  override name = 'Migration20261202050724_events';

  override up(): void | Promise<void> {
    this.addSql(`create table "event_attendance" ("event_record_id" varchar(70) not null, "user_id" varchar(20) not null, "answer" varchar(10) not null, "checked_in_at" timestamptz null, primary key ("event_record_id", "user_id"));`);

    this.addSql(`create table "events" ("id" varchar(70) not null, "guild_id" varchar(20) not null, "event_id" varchar(40) not null, "series_id" varchar(40) null, "title" varchar(100) not null, "description" text not null, "starts_at" timestamptz not null, "duration_minutes" int not null, "capacity" int null, "channel_id" varchar(20) not null, "card_message_id" varchar(20) null, "organiser_id" varchar(20) not null, "time_zone" varchar(64) not null, "status" varchar(10) not null, "scheduled_event_id" varchar(20) null, "going" int not null default 0, "maybe" int not null default 0, "waitlisted" int not null default 0, "updated_at" timestamptz not null default now(), primary key ("id"));`);
    this.addSql(`create index "events_card_message_id_index" on "events" ("card_message_id");`);
    this.addSql(`create index "events_scheduled_event_id_index" on "events" ("scheduled_event_id");`);
    this.addSql(`create index "events_guild_id_starts_at_index" on "events" ("guild_id", "starts_at");`);

    this.addSql(`create table "event_settings" ("guild_id" varchar(20) not null, "time_zone" varchar(64) not null default 'UTC', "manager_role_ids" jsonb not null, "updated_at" timestamptz not null default now(), primary key ("guild_id"));`);

    this.addSql(`create table "member_time_zones" ("user_id" varchar(20) not null, "time_zone" varchar(64) not null, primary key ("user_id"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "event_attendance" cascade;`);
    this.addSql(`drop table if exists "events" cascade;`);
    this.addSql(`drop table if exists "event_settings" cascade;`);
    this.addSql(`drop table if exists "member_time_zones" cascade;`);
  }

}
