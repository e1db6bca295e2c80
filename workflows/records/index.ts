// The records feature's workflows, for the one bundle entry (workflows/index.ts).
export { reviewRecordSuggestions } from './review-workflow.js';
export { recordNotifications } from './notifications-workflow.js';
