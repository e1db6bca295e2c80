// What a feature is to the rest of Steward: one manifest (its `index.ts`) naming its Discord commands and
// component handlers, HTTP routes, activities, entities, environment variables and offline LLM rules. The
// composition root loops over the list of features (src/features/index.ts) and knows nothing else about them.
import type { REST } from '@discordjs/rest';
import type { EntitySchema } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import type { RequestHandler, Router } from 'express';
import type { z } from 'zod';
import type { Database } from '../db/database.js';
import type { ConfigGroup } from '../discord/config-command.js';
import type { Command, ComponentHandler, GatewayListener } from '../discord/handlers.js';
import type { OfflineRules, ProviderChain } from '../llm/index.js';
import type { Logger } from '../observability/logger.js';
import type { ScheduleDefinition } from '../temporal/schedules.js';
import type { FlowStarter } from '../temporal/start-flow.js';
import type { DigestPeriod, DigestSection } from '../../workflows/shared/digest.js';

/** What the platform hands a feature's factories. */
export interface FeatureServices {
  database: Database;
  /** Discord's REST API (or the sandbox's); undefined on a worker without a bot token. */
  discord?: REST;
  /** Origins besides Discord's own whose webhooks may be executed: the configured Discord API (a sandbox). */
  webhookOrigins: readonly string[];
  llm: ProviderChain;
  /** The client, and the starter of flows on the workers' task queue. */
  temporal: Client;
  flows: FlowStarter;
  logger: Logger;
  /** Guards operators' endpoints: the operator token, or this machine only when none is set. */
  operatorOnly: RequestHandler;
  /** Every feature's part of the weekly digest, in digest order (for the digest's activities). */
  digestSections?: () => readonly DigestSectionSource[];
}

/** A feature's part of the weekly digest. */
export interface DigestSectionSource {
  /** Names the section in the digest workflow's history (one activity per section). */
  name: string;
  /** Where it goes in the digest: lower first. */
  order: number;
  /** The section for the period, or null when the feature has nothing to report. */
  gather(period: DigestPeriod): Promise<DigestSection | null>;
}

/** Something a feature keeps running in the adapter process (a Telegram bot's long polling); `start` returns its stop. */
export interface BackgroundService {
  name: string;
  start(): Promise<() => Promise<void>>;
}

/** Activities are plain async functions; the worker registers them by name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each activity has its own argument types
export type ActivityMap = Record<string, (...args: any[]) => Promise<unknown>>;

/**
 * A feature's manifest. `Settings` is what its `env` schema parses the environment into; every factory gets
 * them. Methods (not function-typed fields) so that a list of features with different settings type-checks.
 */
export interface Feature<Settings = unknown> {
  /** The folder name under workflows/, activities/ and src/features/. */
  name: string;
  /** The environment variables the feature reads, checked with the rest before anything starts. */
  env?: z.ZodType<Settings>;
  commands?(settings: Settings): Command<never>[];
  components?: ComponentHandler[];
  /** Its groups under `/config`, the one settings command. */
  config?(settings: Settings): ConfigGroup[];
  /** Gateway events it reacts to in the adapter process. */
  listeners?(settings: Settings): GatewayListener[];
  routes?(services: FeatureServices, settings: Settings): Router;
  /** Routes that check a signature over the raw body themselves (another system's webhooks), mounted before JSON parsing. */
  webhooks?(services: FeatureServices, settings: Settings): Router;
  /** Routes under /api/v1/guilds/:guildId, mounted behind the server's API-token check. */
  guildRoutes?(services: FeatureServices, settings: Settings): Router;
  activities?(services: FeatureServices, settings: Settings): ActivityMap;
  /** What it keeps running in the adapter process besides the Discord gateway and HTTP. */
  background?(services: FeatureServices, settings: Settings): BackgroundService[];
  /** Its part of the weekly digest. */
  digestSection?(services: FeatureServices, settings: Settings): DigestSectionSource;
  /** Temporal Schedules the feature keeps (created or updated when a worker starts). */
  schedules?(settings: Settings): ScheduleDefinition[];
  /** The ORM entities of its store; the schema itself changes only through src/db/migrations. */
  entities?: readonly EntitySchema[];
  /** Answers for its LLM tools when no provider key is configured, by tool name. */
  offlineRules?: OfflineRules;
}

/** Keeps a manifest's `Settings` checked against its `env` schema. */
export function defineFeature<Settings = unknown>(feature: Feature<Settings>): Feature<Settings> {
  return feature;
}
