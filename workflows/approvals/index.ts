// The approvals feature's workflows, for the one bundle entry (workflows/index.ts).
export { requestApproval } from './approval-workflow.js';
export { purgeModerationLog } from './retention-workflow.js';
