import { Migration } from '@mikro-orm/migrations';

export class Migration20261203073441_sent_direct_messages extends Migration {

  override name = 'Migration20261203073441_sent_direct_messages';

  override up(): void | Promise<void> {
    this.addSql(`create table "sent_direct_messages" ("channel_id" varchar(20) not null, "nonce" varchar(25) not null, "message_id" varchar(20) not null, "sent_at" timestamptz not null default now(), primary key ("channel_id", "nonce"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "sent_direct_messages" cascade;`);
  }

}
