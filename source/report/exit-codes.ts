/**
 * Process exit codes of `fcx` (documented in the README and `fcx --help`).
 */
import type {Analysis} from '../analysis/types.js';

/** 0: analysed, nothing referenced is missing (orphans and warnings do not change the code). */
export const EXIT_OK = 0;
/** 1: analysed, and at least one checkpoint or savepoint references a file that is missing. */
export const EXIT_MISSING_FILES = 1;
/** 2: bad usage (unknown flag, bad `--map`, missing argument). */
export const EXIT_USAGE = 2;
/**
 * 3: unreadable input — a path given on the command line does not exist (the CLI checks that
 * before analysing), cannot be listed or crawled, or a `_metadata` given explicitly (directly, or
 * as the snapshot directory holding it) does not parse.
 */
export const EXIT_UNREADABLE = 3;

/**
 * 4: `fcx clean` ran, but some plan entries were skipped (now referenced, changed, too young,
 * symlink, outside the roots, missing, failed); the others were acted on. See the log.
 */
export const EXIT_SKIPPED = 4;

/**
 * 5: `fcx what-if <targets…>` ran, and deleting the targets would break a remaining checkpoint or
 * savepoint, or may: a snapshot that could not be read may reference them ("Would break" is not
 * empty), as `terraform plan -detailed-exitcode` tells
 * a script that the plan has changes.
 */
export const EXIT_WOULD_BREAK = 5;

/** Any of the exit codes above. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_MISSING_FILES | typeof EXIT_USAGE | typeof EXIT_UNREADABLE | typeof EXIT_SKIPPED | typeof EXIT_WOULD_BREAK;

function normalise(value: string): string {
	return value.length > 1 ? value.replace(/[/\\]+$/, '') : value;
}

/**
 * Decide the exit code of an analysis: {@link EXIT_UNREADABLE} when a root (a path given
 * explicitly) is itself a `_metadata` file or snapshot directory whose metadata could not be parsed;
 * else {@link EXIT_MISSING_FILES} when any checkpoint has missing or damaged (truncated) files;
 * else {@link EXIT_OK}.
 * An unreadable `_metadata` found while walking a tree is only a warning (code 0 or 1).
 *
 * @param explicitPaths the paths given on the command line (default: `analysis.roots`), absolute
 * like the paths in the analysis.
 */
export function exitCodeFor(analysis: Analysis, explicitPaths: readonly string[] = analysis.roots): ExitCode {
	const explicit = new Set(explicitPaths.map(normalise));
	const unreadable = analysis.checkpoints.some(
		(checkpoint) =>
			checkpoint.status === 'unreadable' &&
			(explicit.has(normalise(checkpoint.path)) || (checkpoint.metadataPath !== null && explicit.has(normalise(checkpoint.metadataPath)))),
	);
	// A root that could not be read at all (not listed, or not crawled): nothing of it is known.
	const rootUnread = analysis.warnings.some(
		(warning) => warning.code === 'root-unreadable' || (warning.code === 'unreadable-directory' && explicit.has(normalise(warning.path))),
	);
	if (unreadable || rootUnread) {
		return EXIT_UNREADABLE;
	}

	const missing =
		analysis.missing.length > 0 ||
		analysis.damaged.length > 0 ||
		analysis.checkpoints.some((checkpoint) => checkpoint.status === 'missing-files' || checkpoint.status === 'damaged' || checkpoint.missing > 0);
	return missing ? EXIT_MISSING_FILES : EXIT_OK;
}

/** A bug in fcx (not bad input): one line on stderr, the stack with `FCX_DEBUG=1` (`EX_SOFTWARE`). */
export const EXIT_INTERNAL = 70;

/**
 * A file could not be written (disk full, I/O error, a missing or read-only directory): the output,
 * `plan --out`, or the log or restore script of `clean`. One line on stderr naming the file (`EX_IOERR`).
 */
export const EXIT_OUTPUT = 74;

/**
 * The reader of the output went away (`fcx report | head`): fcx stops without a word, with the
 * status of a Unix tool killed by `SIGPIPE` (128 + 13), which Node ignores and reports as `EPIPE`.
 */
export const EXIT_BROKEN_PIPE = 141;
