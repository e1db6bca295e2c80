// The moderation feature's workflows, for the one bundle entry (workflows/index.ts).
export { moderateCase } from './case-workflow.js';
export { timedPunishment } from './punishment-workflow.js';
export { automodInbox } from './automod-workflow.js';
