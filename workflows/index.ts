// The one bundle entry: every feature's workflows. The worker bundles this file; clients import the workflow
// functions from their feature folders.
export * from './ping/index.js';
export * from './records/index.js';
export * from './approvals/index.js';
export * from './moderation/index.js';
export * from './events/index.js';
export * from './raid/index.js';
export * from './engagement/index.js';
export * from './leveling/index.js';
export * from './stats/index.js';
export * from './digests/index.js';
