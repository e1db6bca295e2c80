// The services the REST routes and the driver share, built once per sandbox.
import type { SandboxCore } from './core.js';
import { GuildService } from './guilds.js';
import { InteractionManager } from './interactions.js';
import { MessageService } from './messages.js';
import type { Json } from './payloads.js';
import { snowflake } from './snowflake.js';

interface StoredFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Uploaded files, kept in memory and served back under `/attachments/...` like Discord's CDN. */
export class AttachmentStore {
  private readonly files = new Map<string, StoredFile>();
  baseUrl = '';

  /** Attachment objects for uploads; `descriptors` is the body's `attachments` array matching `files[n]` by id. */
  store(channelId: string, uploads: Array<StoredFile & { field: string }>, descriptors: Json[]): Json[] {
    return uploads.map((upload, index) => {
      const fieldIndex = /^files\[(\d+)\]$/.exec(upload.field)?.[1] ?? String(index);
      const descriptor = descriptors.find((candidate) => String(candidate.id) === fieldIndex) ?? {};
      const id = snowflake();
      const filename = typeof descriptor.filename === 'string' ? descriptor.filename : upload.filename;
      this.files.set(id, upload);
      const url = `${this.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      return {
        id,
        filename,
        size: upload.data.length,
        url,
        proxy_url: url,
        content_type: upload.contentType,
        ...(typeof descriptor.description === 'string' ? { description: descriptor.description } : {}),
      };
    });
  }

  get(id: string): StoredFile | undefined {
    return this.files.get(id);
  }
}

export class Services {
  readonly messages: MessageService;
  readonly guilds: GuildService;
  readonly interactions: InteractionManager;
  readonly attachments = new AttachmentStore();

  constructor(readonly core: SandboxCore) {
    this.messages = new MessageService(core);
    this.guilds = new GuildService(core);
    this.interactions = new InteractionManager(core, this.messages);
  }
}
