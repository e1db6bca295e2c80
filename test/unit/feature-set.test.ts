// The feature manifests are read through one FeatureSet: names two features would both claim stop the start-up
// with both features named, and each feature's factories get its own settings.
import { RECORD_NOTIFICATIONS_WORKFLOW } from '../../workflows/records/notification-messages.js';
import { recordNotifications } from '../../workflows/records/notifications-workflow.js';
import type { FeatureServices } from '../../src/features/feature.js';
import { defineFeature } from '../../src/features/feature.js';
import { FeatureSet } from '../../src/features/feature-set.js';
import { stewardFeatures } from '../../src/features/index.js';

const services = {} as FeatureServices;
const noop = async () => undefined;

test('two features registering the same activity name fail with both names', () => {
  const features = new FeatureSet(
    [defineFeature({ name: 'approvals', activities: () => ({ postCard: noop }) }), defineFeature({ name: 'events', activities: () => ({ postCard: noop }) })],
    {},
  );
  expect(() => features.activities(services)).toThrow('Two features register the activity "postCard": approvals and events.');
});

test('the activity map joins every feature’s activities', () => {
  const features = new FeatureSet(
    [defineFeature({ name: 'a', activities: () => ({ first: noop }) }), defineFeature({ name: 'b', activities: () => ({ second: noop }) })],
    {},
  );
  expect(Object.keys(features.activities(services))).toEqual(['first', 'second']);
});

test('two features claiming one custom_id flow or command name fail with both names', () => {
  const handler = { flow: 'vote', parse: () => undefined, run: noop };
  expect(() => new FeatureSet([defineFeature({ name: 'polls', components: [handler] }), defineFeature({ name: 'events', components: [handler] })], {}).components()).toThrow(
    'Two features register the custom_id flow "vote": polls and events.',
  );
  const command = { data: { name: 'vote', description: 'Vote' }, execute: noop };
  expect(() => new FeatureSet([defineFeature({ name: 'polls', commands: () => [command] }), defineFeature({ name: 'events', commands: () => [command] })], {}).commands()).toThrow(
    'Two features register the command "vote": polls and events.',
  );
});

test('a feature gets its own parsed settings, and refuses to start without them', () => {
  const seen: unknown[] = [];
  const feature = defineFeature<{ limit: number }>({
    name: 'digest',
    env: { parse: () => ({ limit: 3 }) } as never,
    commands: (settings) => (seen.push(settings), []),
  });
  new FeatureSet([feature], { digest: { limit: 3 } }).commands();
  expect(seen).toEqual([{ limit: 3 }]);
  expect(() => new FeatureSet([feature], {}).commands()).toThrow('The "digest" feature has no settings');
});

test('Steward’s own features register without clashes', () => {
  const features = new FeatureSet(stewardFeatures, {
    records: { commandName: 'Add to records', reviewTimeoutMs: 900_000 },
    approvals: { moderationLogRetentionDays: 90 },
    engagement: { webhookToleranceSeconds: 300, analysisRetrySeconds: 300, reviewAlertSeconds: 3600 },
    digests: { retrySeconds: 3600 },
  });
  expect(features.commands().map((command) => command.data.name)).toEqual([
    'ping',
    'Add to records',
    'approvals',
    'telegram-link',
    'warn',
    'timeout',
    'mute',
    'kick',
    'ban',
    'unban',
    'case',
    'cases',
    'reason',
    'event',
    'feedback',
    'recognize',
    'milestones',
    'link',
    'rank',
    'leaderboard',
    'xp',
    'stats',
    'digest',
    'config',
  ]);
  expect(features.components().map((handler) => handler.flow)).toEqual(['ping', 'review', 'approval', 'event', 'lockdown', 'screening', 'feedback', 'leaderboard']);
  expect(features.listeners().map((listener) => listener.event)).toEqual([
    'GUILD_AUDIT_LOG_ENTRY_CREATE',
    'GUILD_MEMBER_ADD',
    'MESSAGE_CREATE',
    'MESSAGE_REACTION_ADD',
    'MESSAGE_REACTION_REMOVE',
    'GUILD_SCHEDULED_EVENT_USER_ADD',
    'GUILD_MEMBER_ADD',
    'MESSAGE_CREATE',
    'MESSAGE_REACTION_ADD',
    'MESSAGE_CREATE',
    'GUILD_MEMBER_ADD',
    'MESSAGE_CREATE',
    'GUILD_MEMBER_ADD',
    'GUILD_MEMBER_REMOVE',
    'INTERACTION_CREATE',
    'GUILD_DELETE',
  ]);
  expect(features.components().map((handler) => handler.flow)).toContain('event');
});

test('activities start the notification workflow by the name its function exports', () => {
  expect(recordNotifications.name).toBe(RECORD_NOTIFICATIONS_WORKFLOW);
});
