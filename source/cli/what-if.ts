/**
 * `fcx what-if`: the impact of deleting targets (exit {@link EXIT_WOULD_BREAK} when a remaining
 * checkpoint would break), or with `--keep-last N` a retention simulation. Nothing is changed.
 */
import path from 'node:path';
import {simulateRetention, whatIfDelete} from '../analysis/index.js';
import {classifyPath, parentPath, stripTrailingSlash} from '../tree/index.js';
import {EXIT_OK, EXIT_UNREADABLE, EXIT_WOULD_BREAK, retentionToText, whatIfToText} from '../report/index.js';
import {UsageError} from './args.js';
import type {Flags} from './flags.js';
import {allPathsExist, analyseWithProgress, ioOf, type RunContext} from './io.js';
import {absolutePaths, analyseOptionsOf, targetPaths} from './options.js';
import {isRemoteRoot, normaliseStoreUri, uriPrefixOf} from '../store/uri.js';

/**
 * Default roots of `fcx what-if <targets…>`: for each target, the directory ABOVE its base
 * directory (the one holding the job directory, or the savepoint directory), so that a sibling
 * `checkpoints/` and `savepoints/` are both seen (jobs restored from a savepoint reference it from
 * the checkpoint base). When that would be `/`, the base directory itself. A target outside any
 * job or savepoint directory: its parent directory. Store URIs alike (`s3://b/flink/checkpoints/<job>`
 * → `s3://b/flink`; the bucket itself is never listed whole by default).
 */
export function defaultWhatIfRoots(targets: readonly string[]): string[] {
	const roots = new Set<string>();
	for (const t of targets) {
		const abs = isRemoteRoot(t) ? normaliseStoreUri(t) : stripTrailingSlash(path.resolve(t));
		const layout = classifyPath(abs);
		const storage = layout.jobDir ?? (layout.storageKind === 'savepoint' ? layout.storageDir : null);
		if (storage === null) {
			roots.add(parentPath(abs));
			continue;
		}
		const base = parentPath(storage);
		const above = parentPath(base);
		// Not the whole file system, nor the whole bucket or namenode.
		roots.add(above === '/' || above === uriPrefixOf(above) ? base : above);
	}
	return [...roots];
}

/**
 * `fcx what-if <targets…> [--root DIR…]` or `fcx what-if --keep-last N <roots…>`.
 * @returns {@link EXIT_WOULD_BREAK} when deleting the targets would break a remaining checkpoint
 * @throws UsageError without targets, or a `--keep-last` that is not a positive whole number
 */
export async function whatIf(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	const options = analyseOptionsOf(flags);
	const absolute = absolutePaths(paths);
	const roots = absolutePaths(flags.root ?? []);
	if (!(await allPathsExist([...absolute, ...roots], stderr))) return EXIT_UNREADABLE;
	if (flags.keepLast !== undefined) {
		if (!Number.isInteger(flags.keepLast) || flags.keepLast < 1) throw new UsageError(`--keep-last: expected a positive whole number, got ${flags.keepLast}`);
		const scanRoots = [...absolute, ...roots];
		if (scanRoots.length === 0) throw new UsageError('what-if --keep-last N needs the roots to analyse');
		const analysis = await analyseWithProgress(scanRoots, options, stderr);
		const result = simulateRetention(analysis, flags.keepLast);
		stdout.write(flags.json === true ? `${JSON.stringify(result, null, 2)}\n` : retentionToText(result, analysis.roots));
		return EXIT_OK;
	}
	if (absolute.length === 0) throw new UsageError('what-if needs the paths to assess (or --keep-last N with roots)');
	const scanRoots = roots.length > 0 ? roots : defaultWhatIfRoots(absolute);
	const analysis = await analyseWithProgress(scanRoots, options, stderr);
	const result = whatIfDelete(analysis, targetPaths(paths));
	stdout.write(flags.json === true ? `${JSON.stringify({roots: analysis.roots, ...result}, null, 2)}\n` : whatIfToText(result, analysis.roots));
	// A snapshot that could not be read may lose files too: unknown is not 'breaks nothing'.
	return result.broken.length > 0 || result.unreadable.length > 0 ? EXIT_WOULD_BREAK : EXIT_OK;
}
