// The events feature's workflows, for the one bundle entry (workflows/index.ts).
export { eventOccurrence } from './event-workflow.js';
export { eventSeries } from './series-workflow.js';
