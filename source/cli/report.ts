/**
 * `fcx report` and `fcx [paths…]`: the interactive explorer on a terminal, else the printed report
 * (text, or JSON with `--json`).
 */
import process from 'node:process';
import {analyse} from '../analysis/index.js';
import type {AnalyseOptions, Analysis} from '../analysis/types.js';
import {executePlan, makePlan} from '../cleanup/index.js';
import type {ExecutionRecord} from '../cleanup/types.js';
import {EXIT_UNREADABLE, exitCodeFor, reportJsonBytes, reportTextChunks} from '../report/index.js';
import {describeStores} from '../store/uri.js';
import {UsageError} from './args.js';
import type {Flags} from './flags.js';
import {allPathsExist, analyseWithProgress, ioOf, reportUnlistedRemoteRoots, writeChunks, type RunContext} from './io.js';
import {absolutePaths, analyseOptionsOf, refuseRemote} from './options.js';
import {exportFileWriter} from './export-file.js';

/** What the analysis reports as it goes (`AnalyseOptions.onProgress`). */
type LoadProgressOf = Parameters<NonNullable<AnalyseOptions['onProgress']>>[0];

/**
 * `fcx [paths…]`: the explorer when interactive (and not `--json`), else the printed report. No path
 * explores the current directory.
 * @throws UsageError for no path when not interactive (or `--json`)
 */
export async function explore(given: string[], flags: Flags, context: RunContext): Promise<number> {
	// No path: the current directory, on a terminal only (a script's empty variable must not scan where it runs).
	if (given.length === 0 && (!context.interactive || flags.json === true)) throw new UsageError('no paths given (see fcx --help)');
	const paths = given.length === 0 ? [process.cwd()] : given;
	if (!context.interactive || flags.json === true) return report(paths, flags, context);
	refuseRemote('explore', paths, flags);
	const options = analyseOptionsOf(flags, paths);
	const absolute = absolutePaths(paths);
	if (!(await allPathsExist(absolute, ioOf(context).stderr))) return EXIT_UNREADABLE;
	const allowDelete = flags.allowDelete === true;
	// The analysis starts before the explorer's code (Ink, React: a megabyte of script) is loaded:
	// its reads run while that compiles. Its progress goes to the explorer once there.
	let forward: ((progress: LoadProgressOf) => void) | undefined;
	let started: Promise<Analysis> | undefined = analyse(absolute, {...options, onProgress: (progress) => forward?.(progress)});
	// Awaited by the first `load`; a failure before then is its, not an unhandled rejection.
	started.catch(() => undefined);
	let finished: Analysis | undefined;
	void started.then(
		(analysis) => {
			finished = analysis;
		},
		() => undefined,
	);
	const {renderExplorer} = await import('../ui/index.js');
	// Done while the explorer's code loaded (a small tree, or one `_metadata` file): shown at once, no progress line first.
	const loaded = finished;
	if (loaded !== undefined) started = undefined;
	// The header names the stores (the SDK's own endpoint settings as `s3Options` leaves them to it).
	const endpoint = flags.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
	return renderExplorer({
		loaded,
		load: async (onProgress) => {
			if (started === undefined) return analyse(absolute, {...options, onProgress}); // a rescan (`R`)
			const first = started;
			started = undefined;
			forward = onProgress;
			return first;
		},
		title: paths.join(' '),
		store: describeStores(absolute, {
			...(flags.listing === undefined ? {} : {listings: flags.listing}),
			...(endpoint === undefined ? {} : {endpoint}),
			...(flags.webhdfs === undefined ? {} : {webhdfs: flags.webhdfs}),
		}),
		allowDelete,
		// The explorer's min-age (M) can only keep more than the command line's, never less.
		onQuarantine: allowDelete
			? async (marked, at) => quarantineMarked(absolute, {...options, minAgeMs: Math.max(options.minAgeMs ?? 0, at?.minAgeMs ?? 0)}, marked)
			: undefined,
		onExport: exportFileWriter(),
	});
}

/** `fcx report <paths…>`: the whole analysis, streamed (the JSON of a million-file tree is over a gigabyte). */
export async function report(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	const options = analyseOptionsOf(flags, paths);
	const absolute = absolutePaths(paths);
	if (!(await allPathsExist(absolute, stderr))) return EXIT_UNREADABLE;
	const analysis = await analyseWithProgress(absolute, options, stderr);
	const color = flags.color !== false && !process.env.NO_COLOR && Boolean((stdout as NodeJS.WriteStream).isTTY);
	const {version} = context;
	await writeChunks(
		stdout,
		flags.json === true ? reportJsonBytes(analysis, {version, files: flags.files === true}) : reportTextChunks(analysis, {color, version}),
	);
	return reportUnlistedRemoteRoots(analysis, stderr) ? EXIT_UNREADABLE : exitCodeFor(analysis);
}

/** The explorer's `D`: plan exactly the marked orphans (fresh analysis) and quarantine them. */
async function quarantineMarked(
	roots: string[],
	options: AnalyseOptions,
	marked: string[],
): Promise<{records: ExecutionRecord[]; restoreCommand: string | null; logPath: string}> {
	const analysis = await analyse(roots, options);
	const plan = makePlan(analysis, {only: marked});
	const result = await executePlan(plan, {minAgeMs: options.minAgeMs});
	const excluded: ExecutionRecord[] = (plan.excluded ?? []).map((x) => ({path: x.path, action: 'skipped', reason: x.reason}));
	return {records: [...result.records, ...excluded], restoreCommand: result.restoreCommand, logPath: result.logPath};
}
