#!/usr/bin/env node
/**
 * `fcx` / `flink-checkpoint-explorer`: reads the command line (the command and flag tables of
 * `cli/`) and runs the command; without one, it chooses the interactive explorer (stdin and
 * stdout are TTYs) or a printed report. All work happens in the core (`metadata`, `tree`,
 * `analysis`, `report`) and the UI (`ui`).
 */
import {existsSync, readFileSync} from 'node:fs';
import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import {UsageError} from './cli/args.js';
import {isCommand, runCommand} from './cli/commands.js';
import {flagValues} from './cli/flag-values.js';
import {commandHelp, globalHelp} from './cli/help.js';
import {checkFlags, checkPaths, commandOf, readFlagWords} from './cli/parse.js';
// Not through the index files of report/ and text/: in the binary those would load every layer
// before the command line is read (`--version` and `--help` need none of it).
import {EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE} from './report/exit-codes.js';
import {visibleMessage} from './text/escape.js';

// React's development build costs about half of every keypress; the explorer runs the production build.
process.env.NODE_ENV ??= 'production';

// V8 allocates straight into the old generation at allocation sites whose objects survived young
// collections. Parsing a `_metadata` file builds its state-handle tree, which the analysis drops
// right after; once V8 had chosen to do so for the parser's sites, every file's tree became garbage
// that only a full collection frees. On the 1M-file bench tree the report then peaked at 0.95-1.09 GB
// in a quarter of the runs instead of 0.8 GB, and took 10 % longer (16 runs each).
setFlagsFromString('--no-allocation-site-pretenuring');

// A write error on stdout or stderr is an 'error' event, not an exception: without a listener Node
// prints a stack trace. A closed pipe (`fcx report --json | head`) ends fcx quietly, as it would a
// Unix tool; anything else (disk full) is one line.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && stream !== process.stderr) process.stderr.write(visibleMessage(`fcx: cannot write the output: ${error.message}`));
		process.exit(error.code === 'EPIPE' ? EXIT_BROKEN_PIPE : EXIT_OUTPUT);
	});
}

/**
 * fcx's `package.json` (one directory above `dist/` and `source/`), `{}` when it cannot be read.
 * Read here and given to meow (when meow reads the command line), which would look for it upwards
 * and, when asked for its version, normalise it (parsing the repository URL among other things).
 */
function packageJson(): Record<string, unknown> {
	try {
		return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
	} catch {
		return {};
	}
}

/**
 * Read the command line (see `cli/parse.ts`) and run it; print the help and version when asked.
 * @returns the exit status
 * @throws UsageError for bad usage
 */
async function main(): Promise<number> {
	const words = readFlagWords(process.argv.slice(2));
	const pkg = packageJson();
	const version = typeof pkg.version === 'string' ? pkg.version : undefined;
	const cli = await flagValues(words.argv, pkg);
	if (words.version) {
		process.stdout.write(`${version ?? ''}\n`);
		return EXIT_OK;
	}
	const [first] = cli.input;
	if (words.help) {
		process.stdout.write(first !== undefined && isCommand(first) ? commandHelp(first) : globalHelp());
		return EXIT_OK;
	}
	if (cli.input.length === 0 && words.given.size === 0) {
		process.stderr.write(globalHelp());
		return EXIT_USAGE;
	}
	const {command, paths} = commandOf(cli.input, existsSync);
	const flags = checkFlags(command, words.given, cli.flags);
	checkPaths(command, paths);
	const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
	return runCommand(command, paths, flags, {interactive, version});
}

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(visibleMessage(`fcx: ${error.message}`));
		process.exitCode = EXIT_USAGE;
	} else {
		// A bug, not bad input: one line for the user, the stack only when asked for.
		const message = error instanceof Error ? error.message : String(error);
		process.stderr.write(visibleMessage(`fcx: internal error: ${message}`));
		if (process.env.FCX_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
		else process.stderr.write('fcx: run again with FCX_DEBUG=1 for details, and please report it\n');
		process.exitCode = EXIT_INTERNAL;
	}
}

/** Resolves when everything written to `stream` so far is written out (or cannot be). */
async function drained(stream: NodeJS.WriteStream): Promise<void> {
	return new Promise((resolve) => {
		stream.write('', () => resolve());
	});
}

// Nothing is left to do: exit as soon as the output is out, not when the event loop is empty.
// - Node would first free its heap piece by piece: after the report of the 1M-file bench tree
//   (700 MB of heap) that took 0.21 s between the last byte written and the end of the process.
// - The explorer quit (`q`, Ctrl+C) while a tree was still loading: the loading would go on, with
//   its stat workers, until done (a minute for ten million files).
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit();
