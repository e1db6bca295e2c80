// Volunteer engagement's workflows, for the one bundle entry (workflows/index.ts).
export { collectFeedback } from './feedback-workflow.js';
export { recognizeVolunteer } from './recognition-workflow.js';
export { celebrateMilestones, introduceBuddies, reportPlatformAlert } from './platform-workflows.js';
