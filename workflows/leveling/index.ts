export { resyncLevelRoles, rewardLevel } from './level-up-workflow.js';
