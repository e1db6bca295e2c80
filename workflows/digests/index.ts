export { postWeeklyDigest } from './digest-workflow.js';
