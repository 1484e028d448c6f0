/**
 * Dispatch: runs a command's handler from the command table. The handlers are in one file per
 * command (`report.ts`, `inspect.ts`, `what-if.ts`, `plan.ts`, `clean.ts`); the command line is
 * read by `parse.ts`. Kept apart from `cli.tsx` so that it stays testable.
 */
import {COMMAND_TABLE} from './commands.js';
import type {Command, Flags} from './flags.js';
import type {RunContext} from './io.js';

export {COMMANDS} from './commands.js';
export type {Command, Flags} from './flags.js';
export {writeChunks, type RunContext} from './io.js';
export {DEFAULT_MIN_AGE} from './options.js';
export {defaultWhatIfRoots} from './what-if.js';

/**
 * Run a command on `paths` and return the exit status (see `readme.md`, Exit status).
 * @throws UsageError for bad flag values
 */
export async function runCommand(command: Command, paths: string[], flags: Flags, context: RunContext): Promise<number> {
	return COMMAND_TABLE[command].handler(paths, flags, context);
}
