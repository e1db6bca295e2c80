// The LLM's side of the flow: the forced tool it must call to suggest records, and the checks its answer passes
// before a member sees a single card. A bad suggestion is dropped with a reason, never allowed to fail the flow.
// It lives with the activities, not the workflows: zod would otherwise be evaluated again for every new workflow.
import { z } from 'zod';
import { findRecordType, type RecordTypeConfig } from '../../workflows/records/record-types.js';
import { findSubject, type Subject } from '../../workflows/records/subjects.js';
import { MAX_DESCRIPTION_LENGTH, type ChildSuggestion, type Suggestion } from '../../workflows/records/suggestions.js';

export const SUGGEST_RECORDS_TOOL = 'suggest_records';

export interface DroppedSuggestion {
  /** Position in the tool input's `suggestions`; absent when the whole answer was unusable. */
  index?: number;
  /** Position in the suggestion's `children` when only that child was dropped. */
  childIndex?: number;
  reason: string;
}

export interface SuggestionCheck {
  accepted: Suggestion[];
  dropped: DroppedSuggestion[];
}

export interface SuggestionRules {
  recordTypes: readonly RecordTypeConfig[];
  subjects: readonly Subject[];
  /** The ids of the messages the LLM was shown: a source outside them is invented. */
  contextMessageIds: readonly string[];
}

/** The tool for the LLM. Enums steer it towards valid types; validateSuggestions still checks every rule. */
export function suggestRecordsTool(recordTypes: readonly RecordTypeConfig[]) {
  const standalone = recordTypes.filter((type) => !type.childOnly).map((type) => type.name);
  const children = [...new Set(recordTypes.flatMap((type) => type.childTypes))];
  const fields = (types: string[]) => ({
    record_type: { type: 'string', enum: types },
    description: {
      type: 'string',
      maxLength: MAX_DESCRIPTION_LENGTH,
      description: 'What happened, in the words of the conversation; one record per fact worth keeping.',
    },
    source_message_ids: {
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      description: 'Ids of the messages this record comes from.',
    },
    author_id: { type: 'string', description: 'Discord user id of the member who did or reported it.' },
    subject_id: { type: 'string', description: 'Id of the machine the record is about, from the catalogue.' },
  });
  const required = ['record_type', 'description', 'source_message_ids', 'author_id'];
  return {
    name: SUGGEST_RECORDS_TOOL,
    description: 'Suggest the records worth keeping from the maintenance conversation. Suggest none if nothing is.',
    inputSchema: {
      type: 'object' as const,
      properties: {
        suggestions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              ...fields(standalone),
              children: {
                type: 'array',
                description: 'Records that belong under this one, e.g. updates to a part request.',
                items: { type: 'object', properties: fields(children), required },
              },
            },
            required,
          },
        },
      },
      required: ['suggestions'],
    },
  };
}

// Models often send null for an optional field they have nothing for; it means the same as leaving it out.
const childInputSchema = z.object({
  record_type: z.string(),
  description: z.string(),
  source_message_ids: z.array(z.string()),
  author_id: z.string().min(1),
  subject_id: z
    .string()
    .nullish()
    .transform((id) => id ?? undefined),
});

/** One suggestion as the tool sends it. */
export const suggestionInputSchema = childInputSchema.extend({ children: z.array(childInputSchema).optional() });

/** The tool input's shape; the rules that need configuration are checked by validateSuggestions. */
export const suggestRecordsInputSchema = z.object({ suggestions: z.array(suggestionInputSchema) });

// validateSuggestions reads items one by one so that one malformed item does not cost the others.
const envelopeSchema = z.object({ suggestions: z.array(z.unknown()) });
const looseSuggestionSchema = childInputSchema.extend({ children: z.array(z.unknown()).nullish() });

type ChildInput = z.infer<typeof childInputSchema>;

/**
 * Keeps the suggestions a member may review. Descriptions are trimmed and, over MAX_DESCRIPTION_LENGTH,
 * truncated with an ellipsis rather than dropped: the member reads the card and can still edit it. A child that
 * names no subject takes its parent's; a dropped parent takes its children with it.
 */
export function validateSuggestions(raw: unknown, rules: SuggestionRules): SuggestionCheck {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    const reason = `tool input is not { suggestions: [...] }: ${summarise(envelope.error)}`;
    return { accepted: [], dropped: [{ reason }] };
  }
  const accepted: Suggestion[] = [];
  const dropped: DroppedSuggestion[] = [];
  envelope.data.suggestions.forEach((item, index) => {
    const parsed = looseSuggestionSchema.safeParse(item);
    if (!parsed.success) {
      dropped.push({ index, reason: `malformed suggestion: ${summarise(parsed.error)}` });
      return;
    }
    const { children: rawChildren, ...fields } = parsed.data;
    const checked = check(fields, rules);
    if (!checked.ok) {
      dropped.push({ index, reason: checked.reason });
      return;
    }
    const parent: Suggestion = { ...checked.suggestion, children: [] };
    (rawChildren ?? []).forEach((rawChild, childIndex) => {
      const child = childInputSchema.safeParse(rawChild);
      const checkedChild = child.success
        ? check(child.data, rules, parent)
        : { ok: false as const, reason: `malformed child: ${summarise(child.error)}` };
      if (checkedChild.ok) parent.children.push(checkedChild.suggestion);
      else dropped.push({ index, childIndex, reason: checkedChild.reason });
    });
    accepted.push(parent);
  });
  return { accepted, dropped };
}

type Checked = { ok: true; suggestion: ChildSuggestion } | { ok: false; reason: string };

/** The suggestion in the domain's words, or why a member should not see it. */
function check(input: ChildInput, rules: SuggestionRules, parent?: ChildSuggestion): Checked {
  const type = findRecordType(rules.recordTypes, input.record_type);
  if (!type) return { ok: false, reason: `unknown record type ${input.record_type}` };
  if (!parent && type.childOnly) return { ok: false, reason: `${type.name} only exists under a parent record` };
  if (parent && !findRecordType(rules.recordTypes, parent.recordType)?.childTypes.includes(type.name)) {
    return { ok: false, reason: `${type.name} cannot be recorded under ${parent.recordType}` };
  }
  const description = truncate(input.description.trim());
  if (!description) return { ok: false, reason: 'empty description' };
  const sourceMessageIds = [...new Set(input.source_message_ids)];
  if (sourceMessageIds.length === 0) return { ok: false, reason: 'no source messages' };
  const invented = sourceMessageIds.filter((id) => !rules.contextMessageIds.includes(id));
  if (invented.length > 0) {
    return { ok: false, reason: `source messages not in the conversation: ${invented.join(', ')}` };
  }
  const subjectId = input.subject_id ?? parent?.subjectId;
  if (subjectId === undefined && type.requiresSubject) return { ok: false, reason: `${type.name} needs a subject` };
  if (subjectId !== undefined && !findSubject(rules.subjects, subjectId)) {
    return { ok: false, reason: `unknown subject ${subjectId}` };
  }
  const suggestion = { recordType: type.name, description, sourceMessageIds, authorId: input.author_id };
  return { ok: true, suggestion: subjectId === undefined ? suggestion : { ...suggestion, subjectId } };
}

/** Cuts on code points, so an emoji is never split in half. */
function truncate(description: string): string {
  const codePoints = [...description];
  if (codePoints.length <= MAX_DESCRIPTION_LENGTH) return description;
  return `${codePoints.slice(0, MAX_DESCRIPTION_LENGTH - 1).join('').trimEnd()}…`;
}

function summarise(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}
