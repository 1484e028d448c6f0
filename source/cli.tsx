#!/usr/bin/env node
/**
 * `fcx` / `flink-checkpoint-explorer`: parses flags and chooses the interactive explorer (stdin and
 * stdout are TTYs) or a printed report. All work happens in the core (`metadata`, `tree`,
 * `analysis`, `report`) and the UI (`ui`).
 */
import process from 'node:process';
import meow from 'meow';
import {UsageError} from './cli/args.js';
import {runCommand, type Command} from './cli/run.js';
import {EXIT_USAGE} from './report/index.js';

const cli = meow(
	`
	Usage
	  $ fcx [paths…]                    explore interactively (prints the report when not on a terminal)
	  $ fcx report <paths…> [--json]    print the whole analysis
	  $ fcx inspect <_metadata…> [--json]
	                                    print everything parsed from _metadata files

	Paths may be any mix of _metadata files, chk-<n> directories, savepoint directories,
	job directories and checkpoint base directories. Nothing on disk is ever changed.

	Options
	  --json               JSON instead of text (report, inspect)
	  --map REMOTE=LOCAL   map a remote URI prefix to a local directory (repeatable);
	                       without it, the mapping is inferred from the tree layout
	  --min-age DURATION   younger files and chk-<n> dirs count as possibly in progress,
	                       not as orphans (default 1h; e.g. 30m, 2h, 1d, 0)
	  --channel-layout A|B force the channel-state layout of V3 files (inspect)
	  --no-color           plain output (also honours NO_COLOR)
	  --help, --version

	Exit status
	  0 analysed, nothing missing   1 a checkpoint has missing files
	  2 bad usage                   3 unreadable input

	Examples
	  $ fcx fixtures/sample-tree
	  $ fcx report /data/flink/checkpoints --json > report.json
	  $ fcx report ./checkpoints --map hdfs://nn:8020/flink/checkpoints=./checkpoints
	  $ fcx inspect ./checkpoints/3f…/chk-42/_metadata
`,
	{
		importMeta: import.meta,
		description: 'Explore Apache Flink checkpoint and savepoint trees.',
		flags: {
			json: {type: 'boolean', default: false},
			map: {type: 'string', isMultiple: true, default: []},
			minAge: {type: 'string', default: '1h'},
			channelLayout: {type: 'string'},
			color: {type: 'boolean', default: true},
		},
		allowUnknownFlags: false,
	},
);

const [first, ...rest] = cli.input;
const commands = new Set(['report', 'inspect', 'explore']);
const command = (first && commands.has(first) ? first : 'explore') as Command;
const paths = first && commands.has(first) ? rest : cli.input;
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);

if (paths.length === 0) {
	process.stderr.write(`fcx: no paths given\n${cli.help}\n`);
	process.exit(EXIT_USAGE);
}

try {
	process.exitCode = await runCommand(command, paths, cli.flags, {interactive, version: cli.pkg.version});
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`fcx: ${error.message}\n`);
		process.exitCode = EXIT_USAGE;
	} else {
		throw error;
	}
}
