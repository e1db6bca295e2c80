export { rollUpStatistics } from './rollup-workflow.js';
