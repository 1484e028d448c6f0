/**
 * The analysis options the flags of the tree-reading commands give (`--map`, `--min-age`, S3's
 * `--endpoint` and `--[no-]path-style`), and the paths they name made absolute.
 */
import path from 'node:path';
import type {AnalyseOptions} from '../analysis/types.js';
import type {S3StoreOptions} from '../store/s3.js';
import {isRemoteRoot} from '../store/uri.js';
import {parseDuration, parseMappings, UsageError} from './args.js';
import type {Command, Flags} from './flags.js';

/** Default `--min-age` when not given (`clean` uses the plan's instead). */
export const DEFAULT_MIN_AGE = '1h';

/**
 * `--map` and `--min-age` as analysis options (local paths resolved against the working directory).
 * @throws UsageError for a bad `--map` or `--min-age`
 */
export function analyseOptionsOf(flags: Flags): AnalyseOptions {
	return {
		mappings: parseMappings(flags.map ?? [], (p) => path.resolve(p)),
		minAgeMs: parseDuration(flags.minAge ?? DEFAULT_MIN_AGE),
		s3: s3Options(flags),
	};
}

/** Local paths resolved against the working directory; store URIs (`s3://bucket/prefix`) as they are. */
export function absolutePaths(paths: readonly string[]): string[] {
	return paths.map((p) => (isRemoteRoot(p) ? p : path.resolve(p)));
}

/** Local paths only (a store URI cannot be `stat`ed: the store says when nothing is there). */
export function localPaths(paths: readonly string[]): string[] {
	return paths.filter((p) => !isRemoteRoot(p));
}

/**
 * Refuse a store URI where only local files work: `inspect`, `clean` and the explorer's
 * `--allow-delete`.
 * @throws UsageError naming the URI and what does read store roots
 */
export function refuseRemote(command: Command, paths: readonly string[], flags: Flags): void {
	const remote = paths.find(isRemoteRoot);
	if (remote === undefined || !(command === 'inspect' || command === 'clean' || flags.allowDelete === true)) return;
	throw new UsageError(`${remote}: ${command === 'explore' ? '--allow-delete' : command} works on local files only (report, what-if, plan and the explorer read S3 roots)`);
}

/**
 * How S3 roots are reached: `--endpoint`, `--[no-]path-style`; the rest from the SDK's chain.
 * @throws UsageError for an endpoint that is not an http(s) URL
 */
export function s3Options(flags: Flags): S3StoreOptions {
	const options: S3StoreOptions = {};
	if (flags.endpoint !== undefined) {
		if (!/^https?:\/\/[^/]/.test(flags.endpoint)) throw new UsageError(`--endpoint: expected an http(s) URL, got "${flags.endpoint}" (example: --endpoint http://127.0.0.1:9000)`);
		options.endpoint = flags.endpoint;
	}
	if (flags.pathStyle !== undefined) options.pathStyle = flags.pathStyle;
	return options;
}
