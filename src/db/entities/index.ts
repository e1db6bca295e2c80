import { PingSchema } from './ping.js';
import {
  ApiTokenSchema,
  LlmUsageSchema,
  MaintainerLinkSchema,
  MaintainerSchema,
  RecordReviewSchema,
  RecordSchema,
  RecordSettingsSchema,
  RecordSourceSchema,
  SubjectSchema,
} from './records.js';

export * from './ping.js';
export * from './records.js';

/** Every entity the ORM knows; migrations are generated from this list. */
export const allEntities = [
  PingSchema,
  RecordSchema,
  RecordSourceSchema,
  SubjectSchema,
  MaintainerSchema,
  MaintainerLinkSchema,
  RecordReviewSchema,
  ApiTokenSchema,
  LlmUsageSchema,
  RecordSettingsSchema,
];
