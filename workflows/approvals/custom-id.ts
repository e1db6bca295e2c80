// The approval card's buttons: `approval:<approve|reject|modify>:<guild>:<case>`; the Modify modal's submission
// carries `approval:modified:<guild>:<case>`. The key is the request's workflow id without its prefix.
import { defineCustomIds } from '../shared/custom-id.js';

export interface ApprovalKey {
  guildId: string;
  caseId: string;
}

export const approvalCustomIds = defineCustomIds({
  flow: 'approval',
  actions: ['approve', 'reject', 'modify', 'modified'],
  writeKey: ({ guildId, caseId }: ApprovalKey) => `${guildId}:${caseId}`,
  readKey(text): ApprovalKey | undefined {
    const [guildId, caseId, ...rest] = text.split(':');
    if (!guildId || !/^\d{17,20}$/.test(guildId) || !caseId || rest.length > 0) return undefined;
    return { guildId, caseId };
  },
});
