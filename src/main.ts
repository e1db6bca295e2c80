// Entry point: `node dist/src/main.js [all|worker|adapters]`. Turns on Node's on-disk compile cache before anything
// else loads, so a restarted process (a deploy, a crashed worker) compiles its thousands of modules once per
// machine rather than at every start; then runs Steward (run.ts).
import { enableCompileCache } from 'node:module';

enableCompileCache();
await import('./run.js');
