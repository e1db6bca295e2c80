// Discord's REST error bodies: JSON error codes with their HTTP statuses, and the nested "Invalid Form Body" tree.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';

export interface FieldError {
  code: string;
  message: string;
}

/** A REST failure carrying exactly the status and body Discord would return. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

const unknownEntities = {
  channel: [RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel'],
  guild: [RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild'],
  member: [RESTJSONErrorCodes.UnknownMember, 'Unknown Member'],
  message: [RESTJSONErrorCodes.UnknownMessage, 'Unknown Message'],
  role: [RESTJSONErrorCodes.UnknownRole, 'Unknown Role'],
  user: [RESTJSONErrorCodes.UnknownUser, 'Unknown User'],
  ban: [RESTJSONErrorCodes.UnknownBan, 'Unknown Ban'],
  webhook: [RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook'],
  interaction: [RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction'],
  application: [RESTJSONErrorCodes.UnknownApplication, 'Unknown Application'],
  overwrite: [RESTJSONErrorCodes.UnknownPermissionOverwrite, 'Unknown Overwrite'],
  emoji: [RESTJSONErrorCodes.UnknownEmoji, 'Unknown Emoji'],
  'guild scheduled event': [RESTJSONErrorCodes.UnknownGuildScheduledEvent, 'Unknown Guild Scheduled Event'],
  invite: [RESTJSONErrorCodes.UnknownInvite, 'Unknown Invite'],
} as const;

export function unknownEntity(kind: keyof typeof unknownEntities): ApiError {
  const [code, message] = unknownEntities[kind];
  return new ApiError(404, code, message);
}

export const missingAccess = (): ApiError => new ApiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
export const missingPermissions = (): ApiError =>
  new ApiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
export const unauthorized = (): ApiError => new ApiError(401, 0, '401: Unauthorized');
export const notFound = (): ApiError => new ApiError(404, 0, '404: Not Found');
export const emptyMessage = (): ApiError =>
  new ApiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
export const alreadyAcknowledged = (): ApiError =>
  new ApiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');

/** Collects field errors under dotted paths ("embeds.0.title") and renders Discord's nested `_errors` tree. */
export class FormErrors {
  private readonly entries: Array<[string, FieldError]> = [];

  add(path: string, code: string, message: string): void {
    this.entries.push([path, { code, message }]);
  }

  maxLength(path: string, value: { length: number } | undefined | null, max: number): void {
    if (value && value.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  lengthBetween(path: string, value: { length: number } | undefined | null, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (value.length < min || value.length > max) {
      this.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    }
  }

  required(path: string, value: unknown): boolean {
    if (value !== undefined && value !== null) return true;
    this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  tree(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const [path, error] of this.entries) {
      let node = root;
      for (const key of path.split('.')) {
        node = (node[key] ??= {}) as Record<string, unknown>;
      }
      ((node._errors ??= []) as FieldError[]).push(error);
    }
    return root;
  }

  /** Throws Discord's 50035 "Invalid Form Body" when anything was collected. */
  throwIfAny(): void {
    if (!this.empty) throw new ApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', this.tree());
  }
}
