// Raid protection's workflow, for the one bundle entry (workflows/index.ts).
export { lockdown } from './lockdown-workflow.js';
export { screenMember } from './screening.js';
