// The ping feature's workflows, for the one bundle entry (workflows/index.ts).
export { ping } from './ping.js';
