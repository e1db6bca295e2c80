// Component custom_ids name the flow, the action and the thing acted on, compactly and within Discord's 100
// characters: `<flow>:<action>:<key>`. Each flow defines one codec with `defineCustomIds`; the card that encodes
// an id and the handler that decodes it use that same codec. Parsing is strict: anything else is "stale or
// foreign", never a crash. Plain patterns, not zod: every workflow evaluates this module when it starts.

const MAX_CUSTOM_ID = 100;
const word = /^[a-z][a-z0-9-]{0,19}$/;
/** Keys are workflow-id suffixes: snowflakes, hyphens, dots and colons (e.g. `<guild>:<message>`). */
const key = /^[\w.:-]{1,80}$/;

export interface ComponentTarget {
  flow: string;
  action: string;
  key: string;
}

function isTarget({ flow, action, key: workflowKey }: ComponentTarget): boolean {
  return word.test(flow) && word.test(action) && key.test(workflowKey);
}

export function encodeCustomId(target: ComponentTarget): string {
  if (!isTarget(target)) throw new TypeError(`not a component target: ${JSON.stringify(target)}`);
  const customId = `${target.flow}:${target.action}:${target.key}`;
  if (customId.length > MAX_CUSTOM_ID) throw new RangeError(`custom_id longer than ${MAX_CUSTOM_ID}: ${customId}`);
  return customId;
}

export function decodeCustomId(customId: string): ComponentTarget | undefined {
  if (customId.length > MAX_CUSTOM_ID) return undefined;
  const [flow = '', action = '', ...rest] = customId.split(':');
  const target = { flow, action, key: rest.join(':') };
  return isTarget(target) ? target : undefined;
}

/** A flow's button protocol: which actions its cards carry and what their key stands for. */
export interface CustomIdCodec<Action extends string, Key> {
  flow: string;
  encode(action: Action, key: Key): string;
  /** The action and key of a target routed to this flow, or undefined for an action or key it never wrote. */
  parse(target: ComponentTarget): { action: Action; key: Key } | undefined;
}

export function defineCustomIds<const Action extends string, Key>(spec: {
  flow: string;
  actions: readonly Action[];
  writeKey(key: Key): string;
  readKey(text: string): Key | undefined;
}): CustomIdCodec<Action, Key> {
  const isAction = (action: string): action is Action => (spec.actions as readonly string[]).includes(action);
  return {
    flow: spec.flow,
    encode: (action, value) => encodeCustomId({ flow: spec.flow, action, key: spec.writeKey(value) }),
    parse(target) {
      if (target.flow !== spec.flow || !isAction(target.action)) return undefined;
      const value = spec.readKey(target.key);
      return value === undefined ? undefined : { action: target.action, key: value };
    },
  };
}
