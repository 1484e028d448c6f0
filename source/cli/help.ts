/**
 * `fcx --help` and `fcx <command> --help`, written from the command and flag tables.
 */
import {COMMAND_TABLE, COMMANDS} from './commands.js';
import {FLAG_NAMES, flagSpec, flagText, type Command, type FlagName} from './flags.js';
import {whereText} from './parse.js';

const FLAG_COLUMN = 23;
const USAGE_COLUMN = 36;

function flagLabel(name: FlagName): string {
	const spec = flagSpec(name);
	const text = spec.negated === true ? `--no-${flagText(name).slice(2)}` : flagText(name);
	return spec.value === undefined ? text : `${text} ${spec.value}`;
}

/** The option lines of `names`; with `where`, each first line says which commands take the flag. */
function optionLines(names: readonly FlagName[], where: boolean): string[] {
	const lines: string[] = [];
	for (const name of names) {
		const spec = flagSpec(name);
		const requires = spec.requires === undefined ? '' : `with ${flagText(spec.requires)}: `;
		// One command (or one with a flag): before the help, as `what-if: keep the newest…`; several: after it.
		const several = spec.commands.filter((c) => c !== 'explore').length > 1;
		const scoped = where && spec.commands.length < COMMANDS.length;
		const help = scoped && several ? [...spec.help.slice(0, -1), `${spec.help.at(-1) ?? ''} (${whereText(name)})`] : spec.help;
		const [first, ...more] = help;
		const label = flagLabel(name).padEnd(FLAG_COLUMN);
		lines.push(`  ${label}${scoped && !several ? `${whereText(name)}: ` : requires}${first}`, ...more.map((line) => `  ${' '.repeat(FLAG_COLUMN)}${line}`));
	}
	return lines;
}

function usageLines(command: Command): string[] {
	const lines: string[] = [];
	for (const {synopsis, summary} of COMMAND_TABLE[command].usage) {
		const indent = ' '.repeat(USAGE_COLUMN);
		const fits = synopsis.length + 4 < USAGE_COLUMN;
		const [first, ...more] = summary;
		lines.push(
			fits ? `  $ ${synopsis.padEnd(USAGE_COLUMN - 4)}${first}` : `  $ ${synopsis}`,
			...(fits ? [] : [`${indent}${first}`]),
			...more.map((line) => `${indent}${line}`),
		);
	}
	return lines;
}

const PATHS = [
	'Paths may be any mix of _metadata files, chk-<n> directories, savepoint directories,',
	'job directories and checkpoint base directories. Only `fcx clean` (and the explorer',
	'with --allow-delete) changes anything on disk. A first word that is not a command is a',
	'path; one that does not exist and is close to a command name is refused as a typo.',
];

const EXIT_STATUS = [
	'Exit status',
	'  0 done, nothing missing       1 a checkpoint has missing files',
	'  2 bad usage / refused plan    3 unreadable input',
	'  4 clean: some entries skipped (see the log)',
	'  5 what-if: deleting the targets would break a checkpoint',
	'  70 internal error (a bug: please report it)',
	'  74 the output could not be written   141 the output’s reader went away',
];

const EXAMPLES = [
	'Examples',
	'  $ fcx fixtures/sample-tree',
	'  $ fcx report /data/flink/checkpoints --json > report.json',
	'  $ fcx report ./checkpoints --map hdfs://nn:8020/flink/checkpoints=./checkpoints',
	'  $ fcx inspect ./checkpoints/3f…/chk-42/_metadata',
	'  $ fcx what-if ./checkpoints/3f…/chk-40',
	'  $ fcx plan ./checkpoints --json --out plan.json && fcx clean --plan plan.json',
];

/** `fcx --help`: every command and every flag (with the commands it applies to). */
export function globalHelp(): string {
	const lines = [
		'Explore Apache Flink checkpoint and savepoint trees.',
		'',
		'Usage',
		...COMMANDS.flatMap((command) => usageLines(command)),
		'',
		...PATHS,
		'',
		'Options',
		...optionLines(FLAG_NAMES, true),
		`  ${'--help, --version'.padEnd(FLAG_COLUMN)}fcx <command> --help: that command's options`,
		'',
		...EXIT_STATUS,
		'',
		...EXAMPLES,
	];
	return `${lines.join('\n')}\n`;
}

/** `fcx <command> --help`: its synopses and the flags it takes. */
export function commandHelp(command: Command): string {
	const names = FLAG_NAMES.filter((name) => flagSpec(name).commands.includes(command));
	const lines = ['Usage', ...usageLines(command), '', 'Options', ...optionLines(names, false), '', 'All commands, exit status and examples: fcx --help'];
	return `${lines.join('\n')}\n`;
}
