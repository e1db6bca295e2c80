// The records feature: "Add to records" and its review cards, record notifications, and the records HTTP API.
import { createRecordsActivities } from '../../../activities/records/index.js';
import { suggestRecordsOffline } from '../../../activities/records/offline-suggester.js';
import { SUGGEST_RECORDS_TOOL } from '../../../activities/records/suggestions.js';
import { defineFeature } from '../feature.js';
import { recordsDigestSection } from './digest-section.js';
import { addToRecordsCommand } from './add-to-records.js';
import { recordsApiRoutes } from './http/index.js';
import { notifyRecordCreated } from './notify.js';
import { reviewButtons } from './review-buttons.js';
import { recordsEnv } from './settings.js';
import {
  MaintainerLinkSchema,
  MaintainerSchema,
  RecordReviewSchema,
  RecordSchema,
  RecordSettingsSchema,
  RecordSourceSchema,
  SubjectSchema,
} from './store/entities.js';

export const recordsFeature = defineFeature({
  name: 'records',
  env: recordsEnv,
  commands: (settings) => [addToRecordsCommand(settings.commandName, settings.reviewTimeoutMs)],
  components: [reviewButtons],
  guildRoutes: ({ database, logger, flows, webhookOrigins }) =>
    recordsApiRoutes({
      database,
      webhookOrigins,
      logger: logger.child({ component: 'records-api' }),
      onRecordCreated: (record) => notifyRecordCreated(flows, record).then(() => undefined),
    }),
  activities: ({ database, discord, llm, flows, webhookOrigins }) => createRecordsActivities({ database, discord, llm, flows, webhookOrigins }),
  digestSection: ({ database }) => recordsDigestSection(database),
  entities: [RecordSchema, RecordSourceSchema, SubjectSchema, MaintainerSchema, MaintainerLinkSchema, RecordReviewSchema, RecordSettingsSchema],
  offlineRules: { [SUGGEST_RECORDS_TOOL]: suggestRecordsOffline },
});
