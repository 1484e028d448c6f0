/**
 * The analysis options the flags of the tree-reading commands give (`--map`, `--min-age`, S3's
 * `--endpoint` and `--[no-]path-style`, HDFS's `--webhdfs`, `--hdfs-user` and `--delegation`,
 * offline `--listing` and `--metadata-from`), and the paths they name made absolute.
 */
import path from 'node:path';
import process from 'node:process';
import type {AnalyseOptions} from '../analysis/types.js';
import type {S3StoreOptions} from '../store/s3.js';
import type {WebHdfsOptions} from '../store/webhdfs.js';
import {isRemoteRoot, normaliseStoreUri} from '../store/uri.js';
import {parseDuration, parseMappings, UsageError} from './args.js';
import type {Command, Flags} from './flags.js';

/** Default `--min-age` when not given (`clean` uses the plan's instead). */
export const DEFAULT_MIN_AGE = '1h';

/**
 * The flags as analysis options (local paths resolved against the working directory). `paths`, the
 * command's trees, are checked against `--listing`: a listing lists store roots only.
 * @throws UsageError for a bad `--map`, `--min-age`, `--endpoint` or `--webhdfs`, `--metadata-from`
 * without `--listing`, or `--listing` without a store root
 */
export function analyseOptionsOf(flags: Flags, paths?: readonly string[]): AnalyseOptions {
	const options: AnalyseOptions = {
		mappings: parseMappings(flags.map ?? [], (p) => path.resolve(p)),
		minAgeMs: parseDuration(flags.minAge ?? DEFAULT_MIN_AGE),
		s3: s3Options(flags),
		hdfs: hdfsOptions(flags),
		scan: scanOptionsFromEnv(process.env),
	};
	if (flags.entropyKey !== undefined) {
		if (!/^[^/\s]+$/.test(flags.entropyKey)) {
			throw new UsageError(`--entropy-key: expected one path segment (Flink's s3.entropy.key, e.g. _entropy_), got "${flags.entropyKey}"`);
		}
		options.entropyKey = flags.entropyKey;
	}
	const listings = flags.listing ?? [];
	if (flags.metadataFrom !== undefined && listings.length === 0) {
		throw new UsageError('--metadata-from: only with --listing (a local copy of the _metadata files of the listed tree)');
	}
	if (listings.length > 0) {
		if (paths !== undefined && !paths.some(isRemoteRoot)) {
			throw new UsageError(
				'--listing: name the listed root as a store URI (example: fcx report hdfs://ns1/flink/checkpoints --listing hdfs-ls.txt --metadata-from ./meta)',
			);
		}
		options.listing = {
			files: listings.map((f) => path.resolve(f)),
			...(flags.metadataFrom === undefined ? {} : {metadataFrom: path.resolve(flags.metadataFrom)}),
		};
	}
	return options;
}

/**
 * How the scan `lstat`s, from the environment, for tests and the bench (the result is the same
 * either way): `FCX_PARALLEL_STAT_MIN_FILES`, from how many files on worker processes do it (the
 * binary's workers failed unnoticed once: only a small tree could show it); `FCX_DEBUG` says on
 * stderr why the workers failed.
 */
function scanOptionsFromEnv(env: NodeJS.ProcessEnv): NonNullable<AnalyseOptions['scan']> {
	const scan: NonNullable<AnalyseOptions['scan']> = {};
	const from = Number(env.FCX_PARALLEL_STAT_MIN_FILES);
	if (env.FCX_PARALLEL_STAT_MIN_FILES !== undefined && Number.isInteger(from) && from >= 1) scan.parallelStatMinFiles = from;
	if (env.FCX_DEBUG) {
		scan.onStatWorkerError = (error) => {
			process.stderr.write(`fcx: stat worker processes failed (${error instanceof Error ? error.message : String(error)}); lstat on the main thread\n`);
		};
	}
	return scan;
}

/**
 * How HDFS roots are reached: `--webhdfs HOST:PORT` (or an http(s) URL), `--hdfs-user`,
 * `--delegation`; the user and token default to the environment (see `webHdfsAuthFromEnv`).
 * @throws UsageError for a `--webhdfs` that is neither
 */
export function hdfsOptions(flags: Flags): Pick<WebHdfsOptions, 'httpAddress' | 'user' | 'delegation'> {
	const options: Pick<WebHdfsOptions, 'httpAddress' | 'user' | 'delegation'> = {};
	if (flags.webhdfs !== undefined) {
		const address = flags.webhdfs;
		if (/^https?:\/\/[^/]/.test(address)) options.httpAddress = address;
		else if (/^[^/:\s]+:\d+$/.test(address)) options.httpAddress = `http://${address}`;
		else throw new UsageError(`--webhdfs: expected HOST:PORT or an http(s) URL, got "${address}" (example: --webhdfs namenode:9870)`);
	}
	if (flags.hdfsUser !== undefined) options.user = flags.hdfsUser;
	if (flags.delegation !== undefined) options.delegation = flags.delegation;
	return options;
}

/** Local paths resolved against the working directory; store URIs (`s3://bucket/prefix`) as they are. */
export function absolutePaths(paths: readonly string[]): string[] {
	return paths.map((p) => (isRemoteRoot(p) ? p : path.resolve(p)));
}

/**
 * Targets (`what-if` paths, `plan --target`) as the analysis names them: local paths resolved
 * against the working directory, store URIs in their one spelling (`s3a://b/x/` → `s3://b/x`).
 */
export function targetPaths(paths: readonly string[]): string[] {
	return paths.map((p) => (isRemoteRoot(p) ? normaliseStoreUri(p) : path.resolve(p)));
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
	throw new UsageError(
		`${remote}: ${command === 'explore' ? '--allow-delete' : command} works on local files only (report, what-if, plan and the explorer read S3 roots)`,
	);
}

/**
 * How S3 roots are reached: `--endpoint`, `--[no-]path-style`; the rest from the SDK's chain.
 * @throws UsageError for an endpoint that is not an http(s) URL
 */
export function s3Options(flags: Flags): S3StoreOptions {
	const options: S3StoreOptions = {};
	if (flags.endpoint !== undefined) {
		if (!/^https?:\/\/[^/]/.test(flags.endpoint)) {
			throw new UsageError(`--endpoint: expected an http(s) URL, got "${flags.endpoint}" (example: --endpoint http://127.0.0.1:9000)`);
		}
		options.endpoint = flags.endpoint;
	}
	if (flags.pathStyle !== undefined) options.pathStyle = flags.pathStyle;
	return options;
}
