#!/usr/bin/env node
/**
 * `fcx` / `flink-checkpoint-explorer`: parses flags and chooses the interactive explorer (stdin and
 * stdout are TTYs) or a printed report. All work happens in the core (`metadata`, `tree`,
 * `analysis`, `report`) and the UI (`ui`).
 */
import process from 'node:process';
import {setFlagsFromString} from 'node:v8';
import meow from 'meow';
import {UsageError} from './cli/args.js';
import {COMMANDS, runCommand, type Command} from './cli/run.js';
import {EXIT_BROKEN_PIPE, EXIT_INTERNAL, EXIT_OUTPUT, EXIT_USAGE} from './report/index.js';
import {visibleMessage} from './text/index.js';

// React's development build costs about half of every keypress; the explorer runs the production build.
process.env.NODE_ENV ??= 'production';

// V8 allocates straight into the old generation at allocation sites whose objects survived young
// collections. Parsing a `_metadata` file builds its state-handle tree, which the analysis drops
// right after; once V8 had chosen to do so for the parser's sites, every file's tree became garbage
// that only a full collection frees. On the 1M-file bench tree the report then peaked at 0.95-1.09 GB
// in a quarter of the runs instead of 0.8 GB, and took 10 % longer (16 runs each).
setFlagsFromString('--no-allocation-site-pretenuring');

const cli = meow(
	`
	Usage
	  $ fcx [paths…]                    explore interactively (prints the report when not on a terminal)
	  $ fcx report <paths…> [--json [--files]]   print the whole analysis
	  $ fcx inspect <_metadata…> [--json]
	                                    print everything parsed from _metadata files
	                                    (or from the chk-<n> / savepoint directories holding them)
	  $ fcx what-if <targets…> [--root DIR…] [--json]
	                                    impact of deleting checkpoints, savepoints, job dirs, files
	  $ fcx what-if --keep-last N <roots…> [--json]
	                                    retention simulation: keep the newest N checkpoints per job
	  $ fcx plan <roots…> [--target PATH… [--accept-unreadable]] [--json] [--out FILE]
	                                    deletion plan (JSON or a reviewable shell script)
	  $ fcx clean --plan FILE [--delete] [--min-age D] [--yes]
	                                    execute a plan: re-check, then quarantine (or delete)

	Paths may be any mix of _metadata files, chk-<n> directories, savepoint directories,
	job directories and checkpoint base directories. Only \`fcx clean\` (and the explorer
	with --allow-delete) changes anything on disk.

	Options
	  --json               JSON instead of text (report, inspect)
	  --files              report --json: also list every referenced file of every
	                       checkpoint (large: about 600 bytes per file and checkpoint)
	  --map REMOTE=LOCAL   map a remote URI prefix to a local directory (repeatable);
	                       without it, the mapping is inferred from the tree layout
	  --min-age DURATION   younger files and chk-<n> dirs count as possibly in progress,
	                       not as orphans (default 1h; e.g. 30m, 2h, 1d, 0)
	  --endpoint URL       S3 roots (s3://bucket/prefix, s3a:// …): the endpoint of an
	                       S3-compatible store (MinIO, Ceph); default AWS_ENDPOINT_URL_S3,
	                       AWS_ENDPOINT_URL, else AWS. Credentials and region: the AWS SDK's chain
	  --no-path-style      S3: virtual-hosted addressing with a custom endpoint (default: path style)
	  --channel-layout A|B force the channel-state layout of V3 files (inspect)
	  --no-color           plain output (also honours NO_COLOR)
	  --root DIR           what-if: trees to analyse (repeatable; default: the base
	                       directory holding each target's job or savepoint directory)
	  --keep-last N        what-if: keep the newest N complete checkpoints per job
	  --target PATH        plan: also plan this checkpoint/savepoint/job dir and what
	                       only it references (refused if anything would break, or
	                       if a snapshot that may reference it could not be read)
	  --accept-unreadable  plan: plan the targets even though unreadable snapshots
	                       may reference them (you take that risk)
	  --out FILE           plan: write to FILE (JSON when --json or FILE ends in .json,
	                       else the shell script); never overwrites
	  --plan FILE          clean: the JSON plan to execute
	  --delete             clean: delete for real instead of moving into
	                       <root>/.fcx-quarantine/<timestamp>/
	  --yes                clean: do not ask (required when not on a terminal)
	  --allow-delete       explorer: mark orphans (Space) and quarantine them (D)
	  --help, --version

	Exit status
	  0 done, nothing missing       1 a checkpoint has missing files
	  2 bad usage / refused plan    3 unreadable input
	  4 clean: some entries skipped (see the log)
	  70 internal error (a bug: please report it)
	  74 the output could not be written   141 the output's reader went away

	Examples
	  $ fcx fixtures/sample-tree
	  $ fcx report /data/flink/checkpoints --json > report.json
	  $ fcx report ./checkpoints --map hdfs://nn:8020/flink/checkpoints=./checkpoints
	  $ fcx report s3://bucket/flink/checkpoints --endpoint http://127.0.0.1:9000
	  $ fcx inspect ./checkpoints/3f…/chk-42/_metadata
	  $ fcx what-if ./checkpoints/3f…/chk-40
	  $ fcx plan ./checkpoints --json --out plan.json && fcx clean --plan plan.json
`,
	{
		importMeta: import.meta,
		description: 'Explore Apache Flink checkpoint and savepoint trees.',
		flags: {
			json: {type: 'boolean', default: false},
			files: {type: 'boolean', default: false},
			map: {type: 'string', isMultiple: true, default: []},
			minAge: {type: 'string'},
			channelLayout: {type: 'string'},
			endpoint: {type: 'string'},
			pathStyle: {type: 'boolean'},
			color: {type: 'boolean', default: true},
			root: {type: 'string', isMultiple: true},
			keepLast: {type: 'number'},
			target: {type: 'string', isMultiple: true},
			acceptUnreadable: {type: 'boolean', default: false},
			out: {type: 'string'},
			plan: {type: 'string'},
			delete: {type: 'boolean', default: false},
			yes: {type: 'boolean', default: false},
			allowDelete: {type: 'boolean', default: false},
		},
		allowUnknownFlags: false,
	},
);

// A write error on stdout or stderr is an 'error' event, not an exception: without a listener Node
// prints a stack trace. A closed pipe (`fcx report --json | head`) ends fcx quietly, as it would a
// Unix tool; anything else (disk full) is one line.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE' && stream !== process.stderr) process.stderr.write(visibleMessage(`fcx: cannot write the output: ${error.message}`));
		process.exit(error.code === 'EPIPE' ? EXIT_BROKEN_PIPE : EXIT_OUTPUT);
	});
}

const [first, ...rest] = cli.input;
const commands = new Set<string>(COMMANDS);
const command = (first && commands.has(first) ? first : 'explore') as Command;
const paths = first && commands.has(first) ? rest : cli.input;
const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
// `clean` takes its paths from the plan; `what-if --keep-last` may take its roots from --root.
const needsPaths = command !== 'clean' && !(command === 'what-if' && (cli.flags.root?.length ?? 0) > 0 && cli.flags.keepLast !== undefined);

if (paths.length === 0 && needsPaths) {
	process.stderr.write(`fcx: no paths given\n${cli.help}\n`);
	process.exit(EXIT_USAGE);
}

try {
	process.exitCode = await runCommand(command, paths, cli.flags, {interactive, version: cli.pkg.version});
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
