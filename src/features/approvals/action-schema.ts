// The action an approval asks for, checked where it arrives (the HTTP API, the Modify modal, the moderation API)
// so the workflow only ever meets a valid one.
import { z } from 'zod';
import { MAX_TIMEOUT_SECONDS, type ApprovalAction } from '../../../workflows/approvals/actions.js';

export const approvalActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('timeout'), durationSeconds: z.number().int().min(60).max(MAX_TIMEOUT_SECONDS) }),
  z.strictObject({ type: z.literal('kick') }),
  z.strictObject({ type: z.literal('ban'), deleteMessageSeconds: z.number().int().min(0).max(604_800).optional() }),
]) satisfies z.ZodType<ApprovalAction>;
