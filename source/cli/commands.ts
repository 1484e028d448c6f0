/**
 * The command table: each command's synopsis, summary, whether it takes paths, and its handler. It
 * drives `--help` (`help.ts`), the first-word check (`parse.ts`) and dispatch (`run.ts`); which
 * flags a command takes is in the flag table (`flags.ts`).
 *
 * Each handler's file, and with it the layers below (one shared chunk of the binary, 0.45 MB: the
 * handlers import through the folders' index files), is loaded when the command runs: `--help`,
 * `--version` and usage errors load none of it, and only the explorer loads Ink and React.
 */
import type {Command, Flags} from './flags.js';
import type {RunContext} from './io.js';

/** Runs a command on its paths; returns the exit status (see `readme.md`, Exit status). */
export type Handler = (paths: string[], flags: Flags, context: RunContext) => Promise<number>;

const explore: Handler = async (...run) => (await import('./report.js')).explore(...run);
const report: Handler = async (...run) => (await import('./report.js')).report(...run);
const inspect: Handler = async (...run) => (await import('./inspect.js')).inspect(...run);
const whatIf: Handler = async (...run) => (await import('./what-if.js')).whatIf(...run);
const planCommand: Handler = async (...run) => (await import('./plan.js')).planCommand(...run);
const clean: Handler = async (...run) => (await import('./clean.js')).clean(...run);

/** One synopsis of a command and what it does (help lines). */
export interface Usage {
	readonly synopsis: string;
	readonly summary: readonly string[];
}

/** One command. */
export interface CommandSpec {
	/** Its synopses, as in `--help` (`fcx report <paths…> [--json [--files]]`). */
	readonly usage: readonly Usage[];
	/** `required`: at least one path (else a usage error); `handler`: the handler checks. */
	readonly paths: 'required' | 'handler';
	readonly handler: Handler;
}

/** Every command, in help order. `explore` is also what runs when the first word is not a command. */
export const COMMAND_TABLE: Readonly<Record<Command, CommandSpec>> = {
	explore: {
		usage: [
			{synopsis: 'fcx [paths…]', summary: ['explore interactively (prints the report when not on a terminal);', 'no path: explore the current directory']},
		],
		paths: 'handler',
		handler: explore,
	},
	report: {usage: [{synopsis: 'fcx report <paths…> [--json [--files]]', summary: ['print the whole analysis']}], paths: 'required', handler: report},
	inspect: {
		usage: [
			{
				synopsis: 'fcx inspect <_metadata…> [--json]',
				summary: ['print everything parsed from _metadata files', '(or from the chk-<n> / savepoint directories holding them)'],
			},
		],
		paths: 'required',
		handler: inspect,
	},
	'what-if': {
		usage: [
			{synopsis: 'fcx what-if <targets…> [--root DIR…] [--json]', summary: ['impact of deleting checkpoints, savepoints, job dirs, files']},
			{synopsis: 'fcx what-if --keep-last N <roots…> [--json]', summary: ['retention simulation: keep the newest N checkpoints per job']},
		],
		paths: 'handler',
		handler: whatIf,
	},
	plan: {
		usage: [{synopsis: 'fcx plan <roots…> [--target PATH…] [--json] [--out FILE]', summary: ['deletion plan (JSON or a reviewable shell script)']}],
		paths: 'required',
		handler: planCommand,
	},
	clean: {
		usage: [{synopsis: 'fcx clean --plan FILE [--delete] [--min-age D] [--yes]', summary: ['execute a plan: re-check, then quarantine (or delete)']}],
		paths: 'handler',
		handler: clean,
	},
};

/** The commands the CLI recognises as a first word, in help order. */
export const COMMANDS = Object.keys(COMMAND_TABLE) as Command[];

/** Whether `word` is a command. */
export function isCommand(word: string): word is Command {
	return Object.hasOwn(COMMAND_TABLE, word);
}

/**
 * Run a command on `paths` and return the exit status (see `readme.md`, Exit status).
 * @throws UsageError for bad flag values
 */
export async function runCommand(command: Command, paths: string[], flags: Flags, context: RunContext): Promise<number> {
	return COMMAND_TABLE[command].handler(paths, flags, context);
}
