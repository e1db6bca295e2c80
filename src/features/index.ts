// The list of features: adding a feature is one line here. The composition root, the worker's activity map,
// the command registry and the ORM all read this list.
import { DirectChannelSchema, SentDirectMessageSchema } from '../discord/direct-channels.js';
import { ApiTokenSchema } from '../http/api-tokens.js';
import { LlmUsageSchema } from '../llm/usage.js';
import { approvalsFeature } from './approvals/index.js';
import { digestsFeature } from './digests/index.js';
import { engagementFeature } from './engagement/index.js';
import { eventsFeature } from './events/index.js';
import type { Feature } from './feature.js';
import { levelingFeature } from './leveling/index.js';
import { moderationFeature } from './moderation/index.js';
import { pingFeature } from './ping/index.js';
import { raidFeature } from './raid/index.js';
import { recordsFeature } from './records/index.js';
import { statsFeature } from './stats/index.js';

export const stewardFeatures: readonly Feature[] = [
  pingFeature,
  recordsFeature,
  approvalsFeature,
  moderationFeature,
  eventsFeature,
  raidFeature,
  engagementFeature,
  levelingFeature,
  statsFeature,
  digestsFeature,
];

/** The platform's own tables (API tokens, LLM usage, members' DM channels) and every feature's. */
export const stewardEntities = [ApiTokenSchema, LlmUsageSchema, DirectChannelSchema, SentDirectMessageSchema, ...stewardFeatures.flatMap((feature) => feature.entities ?? [])];
