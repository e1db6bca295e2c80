// Guild Scheduled Events (the server's Events tab), as Discord documents them: create, list, get, modify and delete,
// with MANAGE_EVENTS, Discord's field rules (an external event needs a location and an end; a start in the future;
// privacy GUILD_ONLY) and its status transitions, and the gateway events members' "Interested" clicks send.
import { GatewayDispatchEvents as Events, GuildScheduledEventEntityType, GuildScheduledEventStatus, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, FormErrors, unknownEntity } from '../../errors.js';
import type { Json } from '../../payloads.js';
import type { Services } from '../../services.js';
import { snowflake } from '../../snowflake.js';
import type { ScheduledEventRecord } from '../../state.js';
import { created, noContent, ok, type RestRequest, type Route } from '../router.js';
import { botId, memberGuild, objectBody } from './common.js';

/** Where each status may go next. */
const TRANSITIONS: Record<number, number[]> = {
  [GuildScheduledEventStatus.Scheduled]: [GuildScheduledEventStatus.Active, GuildScheduledEventStatus.Canceled],
  [GuildScheduledEventStatus.Active]: [GuildScheduledEventStatus.Completed],
};

export function scheduledEventRoutes(services: Services): Route[] {
  const { core } = services;
  const events = core.state.scheduledEvents;
  const requireManage = (request: RestRequest): string => {
    const guildId = memberGuild(services, request);
    core.permissions.requireGuild(guildId, botId(request), P.ManageEvents);
    return guildId;
  };
  const find = (guildId: string, id: string): ScheduledEventRecord => {
    const event = events.get(id);
    if (!event || event.guild_id !== guildId) throw unknownEntity('guild scheduled event');
    return event;
  };
  const dispatch = (event: string, record: ScheduledEventRecord) => core.dispatch({ event, data: { ...record } as unknown as Json, guildId: record.guild_id });

  return [
    {
      method: 'POST',
      template: '/guilds/:guild_id/scheduled-events',
      handler(request) {
        const guildId = requireManage(request);
        const body = objectBody(request);
        const fields = validated(body, undefined);
        const record: ScheduledEventRecord = {
          id: snowflake(),
          guild_id: guildId,
          creator_id: botId(request),
          name: fields.name!,
          description: fields.description ?? null,
          scheduled_start_time: fields.scheduled_start_time!,
          scheduled_end_time: fields.scheduled_end_time ?? null,
          privacy_level: 2,
          status: GuildScheduledEventStatus.Scheduled,
          entity_type: fields.entity_type!,
          entity_id: null,
          channel_id: null,
          entity_metadata: fields.entity_metadata ?? null,
          user_count: 0,
        };
        events.set(record.id, record);
        dispatch(Events.GuildScheduledEventCreate, record);
        return created(record as unknown as Json);
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/scheduled-events',
      handler: (request) => {
        const guildId = memberGuild(services, request);
        return ok([...events.values()].filter((event) => event.guild_id === guildId) as unknown as Json[]);
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/scheduled-events/:event_id',
      handler: (request) => ok(find(memberGuild(services, request), request.params.event_id!) as unknown as Json),
    },
    {
      method: 'PATCH',
      template: '/guilds/:guild_id/scheduled-events/:event_id',
      handler(request) {
        const guildId = requireManage(request);
        const record = find(guildId, request.params.event_id!);
        const body = objectBody(request);
        const fields = validated(body, record);
        if (body.status !== undefined && body.status !== record.status) {
          if (!(TRANSITIONS[record.status] ?? []).includes(body.status as number)) {
            throw new ApiError(400, 180000, 'Cannot update event status: invalid transition');
          }
          record.status = body.status as GuildScheduledEventStatus;
        }
        Object.assign(record, fields);
        dispatch(Events.GuildScheduledEventUpdate, record);
        return ok(record as unknown as Json);
      },
    },
    {
      method: 'DELETE',
      template: '/guilds/:guild_id/scheduled-events/:event_id',
      handler(request) {
        const guildId = requireManage(request);
        const record = find(guildId, request.params.event_id!);
        events.delete(record.id);
        dispatch(Events.GuildScheduledEventDelete, record);
        return noContent();
      },
    },
  ];
}

type Fields = Partial<Pick<ScheduledEventRecord, 'name' | 'description' | 'scheduled_start_time' | 'scheduled_end_time' | 'entity_type' | 'entity_metadata'>>;

/** Discord's rules for the fields given (all required ones when creating, the rest when modifying). */
function validated(body: Record<string, unknown>, existing: ScheduledEventRecord | undefined): Fields {
  const errors = new FormErrors();
  const creating = existing === undefined;
  const fields: Fields = {};
  if (creating || body.name !== undefined) {
    if (errors.required('name', body.name)) errors.lengthBetween('name', body.name as string, 1, 100);
    fields.name = body.name as string;
  }
  if (body.description !== undefined) {
    errors.maxLength('description', body.description as string, 1000);
    fields.description = body.description as string;
  }
  if (creating && body.privacy_level !== 2) errors.add('privacy_level', 'BASE_TYPE_CHOICES', 'Value must be one of {2}.');
  const entityType = (body.entity_type ?? existing?.entity_type) as number | undefined;
  if (creating || body.entity_type !== undefined) {
    if (![GuildScheduledEventEntityType.StageInstance, GuildScheduledEventEntityType.Voice, GuildScheduledEventEntityType.External].includes(entityType as number)) {
      errors.add('entity_type', 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3}.');
    }
    fields.entity_type = entityType as GuildScheduledEventEntityType;
  }
  const start = (body.scheduled_start_time ?? existing?.scheduled_start_time) as string | undefined;
  if (creating || body.scheduled_start_time !== undefined) {
    const at = Date.parse(String(start));
    if (!start || Number.isNaN(at)) errors.add('scheduled_start_time', 'DATE_TYPE_PARSE', 'Could not parse date.');
    else if (at < Date.now()) errors.add('scheduled_start_time', 'GUILD_SCHEDULED_EVENT_SCHEDULED_START_TIME_IN_PAST', 'Cannot schedule event in the past.');
    fields.scheduled_start_time = new Date(at).toISOString();
  }
  const end = (body.scheduled_end_time ?? existing?.scheduled_end_time) as string | null | undefined;
  if (entityType === GuildScheduledEventEntityType.External) {
    const location = ((body.entity_metadata ?? existing?.entity_metadata) as { location?: string } | null | undefined)?.location;
    if (!location) errors.add('entity_metadata.location', 'BASE_TYPE_REQUIRED', 'This field is required');
    else errors.lengthBetween('entity_metadata.location', location, 1, 100);
    if (!end) errors.add('scheduled_end_time', 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  if (end && start && Date.parse(end) <= Date.parse(start)) errors.add('scheduled_end_time', 'GUILD_SCHEDULED_EVENT_END_BEFORE_START', 'The end must be after the start.');
  if (body.scheduled_end_time !== undefined) fields.scheduled_end_time = end ? new Date(Date.parse(end)).toISOString() : null;
  if (body.entity_metadata !== undefined) fields.entity_metadata = body.entity_metadata as { location?: string };
  errors.throwIfAny();
  return fields;
}
