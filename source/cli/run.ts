/**
 * Dispatch for tests and embedders: runs a command's handler from the command table (`runCommand`,
 * in `commands.ts`). The handlers are in one file per command (`report.ts`, `inspect.ts`,
 * `what-if.ts`, `plan.ts`, `clean.ts`); the command line is read by `parse.ts`. `cli.tsx` imports
 * `commands.ts` itself: this file's exports would load every handler with it.
 */
export {COMMANDS, runCommand} from './commands.js';
export type {Command, Flags} from './flags.js';
export {writeChunks, type RunContext} from './io.js';
export {DEFAULT_MIN_AGE} from './options.js';
export {defaultWhatIfRoots} from './what-if.js';
