import { Migration } from '@mikro-orm/migrations';

export class Migration20261202044318_telegram_approvals extends Migration {

  override name = 'Migration20261202044318_telegram_approvals';

  override up(): void | Promise<void> {
    this.addSql(`create table "telegram_cards" ("workflow_id" varchar(100) not null, "guild_id" varchar(20) not null, "case_id" varchar(40) not null, "target_id" varchar(20) not null, "chat_id" varchar(20) not null, "message_id" int not null, primary key ("workflow_id"));`);
    this.addSql(`alter table "telegram_cards" add constraint "telegram_cards_chat_id_message_id_unique" unique ("chat_id", "message_id");`);

    this.addSql(`create table "telegram_links" ("guild_id" varchar(20) not null, "telegram_user_id" varchar(20) not null, "discord_user_id" varchar(20) not null, "linked_at" timestamptz not null default now(), primary key ("guild_id", "telegram_user_id"));`);

    this.addSql(`create table "telegram_link_codes" ("code_hash" varchar(64) not null, "guild_id" varchar(20) not null, "discord_user_id" varchar(20) not null, "expires_at" timestamptz not null, primary key ("code_hash"));`);

    this.addSql(`alter table "approval_settings" add "telegram_chat_id" varchar(20) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "telegram_cards" cascade;`);
    this.addSql(`drop table if exists "telegram_links" cascade;`);
    this.addSql(`drop table if exists "telegram_link_codes" cascade;`);

    this.addSql(`alter table "approval_settings" drop column "telegram_chat_id";`);
  }

}
