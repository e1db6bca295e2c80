// Component custom_ids name the flow, the workflow they drive and the action, compactly and within Discord's
// 100 characters: `<flow>:<action>:<key>`. Parsing is strict; anything else is "stale or foreign", never a crash.
import { z } from 'zod';

const MAX_CUSTOM_ID = 100;
const word = /^[a-z][a-z0-9-]{0,19}$/;
/** Keys are workflow-id suffixes: snowflakes, hyphens, dots and colons (e.g. `<guild>:<message>`). */
const key = /^[\w.:-]{1,80}$/;

export interface ComponentTarget {
  flow: string;
  action: string;
  key: string;
}

const targetSchema = z.object({ flow: z.string().regex(word), action: z.string().regex(word), key: z.string().regex(key) });

export function encodeCustomId(target: ComponentTarget): string {
  const { flow, action, key: workflowKey } = targetSchema.parse(target);
  const customId = `${flow}:${action}:${workflowKey}`;
  if (customId.length > MAX_CUSTOM_ID) throw new RangeError(`custom_id longer than ${MAX_CUSTOM_ID}: ${customId}`);
  return customId;
}

export function decodeCustomId(customId: string): ComponentTarget | undefined {
  if (customId.length > MAX_CUSTOM_ID) return undefined;
  const [flow, action, ...rest] = customId.split(':');
  const parsed = targetSchema.safeParse({ flow, action, key: rest.join(':') });
  return parsed.success ? parsed.data : undefined;
}
