/**
 * From the command line to a command, its paths and its flags, refusing in one line what cannot be
 * meant: an unknown flag or a mistyped command (with "did you mean"), a flag given to a command it
 * does not apply to, a count that is not a number, a command without its paths.
 *
 * The first word is a command when it is one (`fcx report …`); otherwise every word is a path to
 * explore. A first word that names no existing file, has no `/` and is within an edit or two of a
 * command (`reprot`) is taken as a mistyped command instead: a path must exist to be explored, and
 * `./reprot` is always a path.
 */
import {UsageError} from './args.js';
import {COMMAND_TABLE, COMMANDS, isCommand} from './commands.js';
import {camelCase, FLAG_NAMES, flagSpec, flagText, isFlagName, type Command, type FlagName, type Flags} from './flags.js';
import {closest} from './suggest.js';

/** What the words of the command line ask for, before meow reads the flags' values. */
export interface FlagWords {
	/** The flags given (not those set by default). */
	given: Set<FlagName>;
	/** `--help` or `-h`. */
	help: boolean;
	/** `--version`. */
	version: boolean;
	/** The arguments for meow: without `--help`, `-h` and `--version`. */
	argv: string[];
}

/**
 * Read which flags `argv` names (`--name`, `--name=value`, `--no-name`; up to a `--`). Values are
 * not read here: a word is a flag when it starts with `-` and is not a negative number.
 * @throws UsageError for an unknown flag, with the closest known one
 */
export function readFlagWords(argv: readonly string[]): FlagWords {
	const words: FlagWords = {given: new Set(), help: false, version: false, argv: []};
	const end = argv.indexOf('--');
	for (const [index, word] of argv.entries()) {
		const isFlag = (end === -1 || index < end) && word.length > 1 && word.startsWith('-') && !/^-\d/.test(word);
		if (!isFlag) {
			words.argv.push(word);
			continue;
		}
		const body = word.replace(/^--?/, '').split('=')[0];
		if (word === '-h' || word === '--help') {
			words.help = true;
		} else if (word === '--version') {
			words.version = true;
		} else {
			const name = flagOf(word, body);
			// meow would throw its own error (an internal error here) for a value given twice.
			if (words.given.has(name) && flagSpec(name).isMultiple !== true) throw new UsageError(`${flagText(name)} is given twice: give it once`);
			words.given.add(name);
			words.argv.push(word);
		}
	}
	return words;
}

function flagOf(word: string, body: string): FlagName {
	const name = camelCase(body);
	if (word.startsWith('--') && isFlagName(name)) return name;
	const negated = body.startsWith('no-') ? camelCase(body.slice(3)) : '';
	if (word.startsWith('--') && isFlagName(negated) && flagSpec(negated).type === 'boolean') return negated;
	const known = [...FLAG_NAMES.map((n) => flagText(n).slice(2)), 'help', 'version'];
	const suggestion = closest(body, known);
	throw new UsageError(`unknown flag ${word.split('=')[0]} (${suggestion === undefined ? 'see fcx --help' : `did you mean --${suggestion}?`})`);
}

/** The words the messages use for a command. */
export function commandText(command: Command): string {
	return command === 'explore' ? 'the explorer (fcx <paths…>)' : command;
}

/** Where a flag applies, as the messages say it: `report, inspect`, `report --json`. */
export function whereText(name: FlagName): string {
	const spec = flagSpec(name);
	const commands = spec.commands.filter((c) => c !== 'explore');
	const listed = commands.length === 0 ? [commandText('explore')] : commands;
	return `${listed.join(', ')}${spec.requires === undefined ? '' : ` ${flagText(spec.requires)}`}`;
}

/**
 * The command `input` asks for and its paths.
 * @param exists whether a path exists (`fs.existsSync`)
 * @throws UsageError for a mistyped command
 */
export function commandOf(input: readonly string[], exists: (path: string) => boolean): {command: Command; paths: string[]} {
	const [first, ...rest] = input;
	if (first !== undefined && isCommand(first)) return {command: first, paths: rest};
	if (first !== undefined && !first.includes('/') && !exists(first)) {
		const suggestion = closest(first, COMMANDS);
		if (suggestion !== undefined) throw new UsageError(`unknown command '${first}' (did you mean '${suggestion}'?)`);
	}
	return {command: 'explore', paths: [...input]};
}

function countOf(name: FlagName, raw: unknown): number {
	const text = String(raw ?? '').trim();
	if (/^\d+$/.test(text) && Number(text) >= 1) return Number(text);
	throw new UsageError(`${flagText(name)}: expected a positive whole number, got ${text === '' ? 'nothing' : `"${String(raw)}"`}`);
}

/**
 * Check the flags `given` against `command` and convert the counts.
 * @param values the flags as meow parsed them (counts are strings there)
 * @throws UsageError for a flag the command does not take, or a bad count
 */
export function checkFlags(command: Command, given: ReadonlySet<FlagName>, values: Record<string, unknown>): Flags {
	const flags: Record<string, unknown> = {};
	for (const name of FLAG_NAMES) {
		const spec = flagSpec(name);
		if (values[name] !== undefined) flags[name] = values[name];
		if (!given.has(name)) continue;
		const applies = spec.commands.includes(command) && (spec.requires === undefined || values[spec.requires] === true);
		if (!applies) {
			const not = spec.commands.includes(command) ? `${commandText(command)} without ${flagText(spec.requires ?? name)}` : commandText(command);
			throw new UsageError(`${flagText(name)} applies to ${whereText(name)}, not to ${not}`);
		}
		if (spec.type === 'count') flags[name] = countOf(name, values[name]);
	}
	return flags;
}

/**
 * A command that needs paths and got none, or an empty path.
 * @throws UsageError naming the command and its help, or the empty path
 */
export function checkPaths(command: Command, paths: readonly string[]): void {
	// An empty word (`fcx report ""`, an unset shell variable in quotes) would resolve to the current directory.
	if (paths.includes('')) throw new UsageError(`an empty path ('') names no file or directory`);
	if (COMMAND_TABLE[command].paths === 'required' && paths.length === 0) {
		throw new UsageError(command === 'explore' ? 'no paths given (see fcx --help)' : `${command} needs paths (see fcx ${command} --help)`);
	}
}
