// Every workflow the worker runs. The worker bundles this file; clients import the types and definitions.
export { ping } from './ping.js';
export { reviewRecordSuggestions } from './review-record-suggestions.js';
export { recordNotifications } from './record-notifications.js';
