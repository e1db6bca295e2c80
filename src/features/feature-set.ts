// The features a process runs, with their settings: what the composition root and the worker read from the
// manifests. Names that two features would both claim (an activity, a command, an LLM tool's offline rule)
// stop the process at start-up with both features named, instead of one silently replacing the other.
import type { Router } from 'express';
import { configCommand } from '../discord/config-command.js';
import type { Command, ComponentHandler, GatewayListener } from '../discord/handlers.js';
import type { OfflineRules } from '../llm/index.js';
import type { ScheduleDefinition } from '../temporal/schedules.js';
import type { ActivityMap, BackgroundService, DigestSectionSource, Feature, FeatureServices } from './feature.js';

export class FeatureSet {
  constructor(
    readonly features: readonly Feature[],
    private readonly settings: Readonly<Record<string, unknown>>,
  ) {}

  /** Every feature's commands, and `/config` with every feature's settings group. */
  commands(): Command<never>[] {
    const commands = this.features.flatMap((feature) => (feature.commands?.(this.#settingsOf(feature)) ?? []).map((command) => ({ feature, command })));
    const groups = this.features.flatMap((feature) => (feature.config?.(this.#settingsOf(feature)) ?? []).map((group) => ({ feature, group })));
    if (groups.length > 0) {
      const unique = [...uniqueBy(groups, ({ group }) => group.name, '/config group').values()].map(({ group }) => group);
      commands.push({ feature: { name: 'the platform' }, command: configCommand(unique) as Command<never> });
    }
    return [...uniqueBy(commands, ({ command }) => command.data.name, 'command').values()].map(({ command }) => command);
  }

  components(): ComponentHandler[] {
    const handlers = this.features.flatMap((feature) => (feature.components ?? []).map((handler) => ({ feature, handler })));
    return [...uniqueBy(handlers, ({ handler }) => handler.flow, 'custom_id flow').values()].map(({ handler }) => handler);
  }

  /** Every feature's gateway listeners; several features may listen to the same event. */
  listeners(): GatewayListener[] {
    return this.features.flatMap((feature) => feature.listeners?.(this.#settingsOf(feature)) ?? []);
  }

  /** Every feature's digest section, in digest order; two claiming one name stop the process. */
  digestSections(services: FeatureServices): DigestSectionSource[] {
    const sources = this.features.flatMap((feature) => (feature.digestSection ? [{ feature, source: feature.digestSection(services, this.#settingsOf(feature)) }] : []));
    return [...uniqueBy(sources, ({ source }) => source.name, 'digest section').values()].map(({ source }) => source).sort((left, right) => left.order - right.order);
  }

  routes(services: FeatureServices): Router[] {
    return this.features.flatMap((feature) => (feature.routes ? [feature.routes(services, this.#settingsOf(feature))] : []));
  }

  webhooks(services: FeatureServices): Router[] {
    return this.features.flatMap((feature) => (feature.webhooks ? [feature.webhooks(services, this.#settingsOf(feature))] : []));
  }

  guildRoutes(services: FeatureServices): Router[] {
    return this.features.flatMap((feature) => (feature.guildRoutes ? [feature.guildRoutes(services, this.#settingsOf(feature))] : []));
  }

  /** Every feature's activities in one map for the worker. */
  activities(services: FeatureServices): ActivityMap {
    const entries = this.features.flatMap((feature) =>
      Object.entries(feature.activities?.(services, this.#settingsOf(feature)) ?? {}).map(([name, activity]) => ({ feature, name, activity })),
    );
    const unique = uniqueBy(entries, ({ name }) => name, 'activity');
    return Object.fromEntries([...unique].map(([name, { activity }]) => [name, activity]));
  }

  background(services: FeatureServices): BackgroundService[] {
    return this.features.flatMap((feature) => feature.background?.(services, this.#settingsOf(feature)) ?? []);
  }

  schedules(): ScheduleDefinition[] {
    const schedules = this.features.flatMap((feature) => (feature.schedules?.(this.#settingsOf(feature)) ?? []).map((schedule) => ({ feature, schedule })));
    return [...uniqueBy(schedules, ({ schedule }) => schedule.scheduleId, 'schedule').values()].map(({ schedule }) => schedule);
  }

  offlineRules(): OfflineRules {
    const rules = this.features.flatMap((feature) => Object.entries(feature.offlineRules ?? {}).map(([tool, rule]) => ({ feature, tool, rule })));
    return Object.fromEntries([...uniqueBy(rules, ({ tool }) => tool, 'offline rule for the tool')].map(([tool, { rule }]) => [tool, rule]));
  }

  #settingsOf(feature: Feature): unknown {
    const settings = this.settings[feature.name];
    if (feature.env && settings === undefined) {
      throw new Error(`The "${feature.name}" feature has no settings: load the configuration with the list of features.`);
    }
    return settings;
  }
}

function uniqueBy<T extends { feature: Feature }>(items: readonly T[], nameOf: (item: T) => string, what: string): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item);
    const earlier = byName.get(name);
    if (earlier) {
      throw new Error(`Two features register the ${what} "${name}": ${earlier.feature.name} and ${item.feature.name}.`);
    }
    byName.set(name, item);
  }
  return byName;
}
