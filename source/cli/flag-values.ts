/**
 * The flags' values and the other words (the input) of a command line, as meow reads them with the
 * flag table ({@link meowFlags}). meow and its parser are a quarter of a megabyte of script: loading
 * them was half of the fixed cost of every command (`fcx --version` 0.12 s, Node alone 0.07 s). So
 * the plain command lines are read here ({@link plainFlagValues}), and meow reads only the others,
 * loaded when needed: a value in quotes, a flag given twice, `--` and the rest, where its answer
 * (or its error) is its own. `test/cli/flag-values.test.ts` checks the two agree wherever the plain
 * reading answers.
 */
import process from 'node:process';
import {camelCase, FLAG_NAMES, flagSpec, isFlagName, meowFlags, type FlagName} from './flags.js';

/** The words of a command line that are not flags, and the flags' values (the defaults for those not given). */
export interface FlagValues {
	input: string[];
	flags: Record<string, unknown>;
}

/** The values meow gives flags not given: each default; false for a boolean, `[]` for a repeatable flag without one. */
function defaults(): Record<string, unknown> {
	const flags: Record<string, unknown> = {};
	for (const name of FLAG_NAMES) {
		const spec = flagSpec(name);
		if (spec.default !== undefined) flags[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
		else if (spec.type === 'boolean') flags[name] = false;
		else if (spec.isMultiple === true) flags[name] = [];
	}
	return flags;
}

/** A value meow would read the same: no quotes for its parser to strip, not empty. */
function isPlainValue(value: string | undefined): value is string {
	return value !== undefined && value !== '' && !value.startsWith('"') && !value.startsWith("'");
}

/**
 * The flags' values and the input of `argv` (the words of a command line without `--help`, `-h`
 * and `--version`, every flag already known: see `readFlagWords`), when it is plain: each flag at
 * most once, as `--name` or `--no-name` (booleans, not followed by `true` or `false`), or
 * `--name VALUE` or `--name=VALUE` (the others, a value that does not start with `-` or a quote),
 * and no other word starting with `-` (`--`, `-5`). String values stay strings, as meow leaves them.
 * @returns `undefined` when `argv` is not plain (meow reads it: {@link flagValues})
 */
export function plainFlagValues(argv: readonly string[]): FlagValues | undefined {
	const flags = defaults();
	const input: string[] = [];
	const seen = new Set<FlagName>();
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index];
		if (!word.startsWith('-')) {
			input.push(word);
			continue;
		}
		if (!word.startsWith('--')) return undefined;
		const equals = word.indexOf('=');
		const body = word.slice(2, equals === -1 ? undefined : equals);
		const name = camelCase(body);
		const negated = camelCase(body.slice(3));
		const flag = isFlagName(name) ? name : body.startsWith('no-') && isFlagName(negated) && flagSpec(negated).type === 'boolean' ? negated : undefined;
		if (flag === undefined || seen.has(flag)) return undefined;
		seen.add(flag);
		const spec = flagSpec(flag);
		if (spec.type === 'boolean') {
			const next = argv[index + 1];
			if (equals !== -1 || next === 'true' || next === 'false') return undefined;
			flags[flag] = flag === name;
			continue;
		}
		if (flag !== name) return undefined;
		const value = equals === -1 ? argv[++index] : word.slice(equals + 1);
		if (!isPlainValue(value) || (equals === -1 && value.startsWith('-'))) return undefined;
		flags[flag] = spec.isMultiple === true ? [value] : value;
	}
	return {input, flags};
}

/** What meow names the process (its `process.title`): the package's first command, else its name. */
function processTitle(pkg: {name?: unknown; bin?: unknown}): string {
	const name = typeof pkg.name === 'string' ? pkg.name.replace(/^@[^/]*\//, '') : '';
	if (typeof pkg.bin === 'string') return name;
	if (typeof pkg.bin === 'object' && pkg.bin !== null) return Object.keys(pkg.bin)[0] ?? (typeof pkg.name === 'string' ? pkg.name : '');
	return typeof pkg.name === 'string' ? pkg.name : '';
}

/**
 * The flags' values and the input of `argv` (see {@link plainFlagValues}): read here when plain,
 * else by meow (loaded now). Names the process as meow does (`fcx` in `ps`).
 * @param pkg fcx's `package.json` (meow's `pkg`)
 * @throws Error as meow does (`The flag --out can only be set once.`); meow also ends the process
 *   (exit 2) on some words it does not know (`-1x`)
 */
export async function flagValues(argv: readonly string[], pkg: Record<string, unknown>): Promise<FlagValues> {
	const plain = plainFlagValues(argv);
	if (plain === undefined) return meowFlagValues(argv, pkg);
	process.title = processTitle(pkg);
	return plain;
}

/** meow's reading of `argv`, as fcx has always asked for it. */
export async function meowFlagValues(argv: readonly string[], pkg: Record<string, unknown>): Promise<FlagValues> {
	const {default: meow} = await import('meow');
	const cli = meow({importMeta: import.meta, pkg, argv: [...argv], flags: meowFlags(), autoHelp: false, autoVersion: false, allowUnknownFlags: false});
	return {input: cli.input, flags: cli.flags};
}
