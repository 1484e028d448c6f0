/**
 * The analysis core: from a scan and the loaded `_metadata` files to an {@link Analysis}.
 * No crawling and no parsing here, so it can be tested with hand-built references; it only `stat`s
 * local paths that references map to outside the scanned roots. Nothing is written, moved or deleted.
 *
 * The build runs in phases around one {@link BuildContext} (`build/context.ts`, the state they share):
 * 1. accumulate (`build/accumulate.ts`, while the files load): each snapshot's references summed per written path;
 * then settle: every written path resolved to an entry and probed (`build/resolve-paths.ts`),
 * 2. the FLINK-39964 fallback for relative handles and 3. who uses each entry (`build/settle.ts`);
 * 4. checkpoint analyses, missing and damaged files (`build/checkpoints.ts`, `build/places.ts`);
 * 5. directory aggregates (`build/directories.ts`) and the jobs whose orphans are withheld (`build/withheld.ts`);
 * 6. orphans (`build/orphans.ts`); 7. job summaries (`build/job-summaries.ts`).
 */
import type {ScanResult} from '../tree/scan.js';
import {OUTSIDE} from './entries.js';
import {accumulateReady} from './build/accumulate.js';
import {NamesAhead} from './build/ahead.js';
import {analyseCheckpoints, type CheckpointFacts} from './build/checkpoints.js';
import {BuildContext, type ListedAsWritten} from './build/context.js';
import {aggregateDirectories} from './build/directories.js';
import {summariseJobs} from './build/job-summaries.js';
import {findOrphans} from './build/orphans.js';
import {collectAfterResolution} from './build/collect.js';
import {resolveWrittenPaths, toProbe} from './build/resolve-paths.js';
import {findUsers, relativeFallback, unlistedOf} from './build/settle.js';
import type {LoadedSnapshot} from './build/snapshot.js';
import {jobFacts} from './build/withheld.js';
import {UnsureReferences} from './unmapped.js';
import type {AnalyseOptions, Analysis, ReferencedBy} from './types.js';

export {DEFAULT_MIN_AGE_MS} from './build/context.js';
export {flatString} from './build/helpers.js';
export {snapshotKind, type LoadedSnapshot} from './build/snapshot.js';

/**
 * Build the analysis from a scan and the loaded snapshots. Pure apart from `stat` calls for local
 * paths that references map to outside the scanned roots. The same as {@link AnalysisBuilder} with
 * every snapshot added at once.
 *
 * - Snapshot kind: `properties.checkpointType.kind` when present, else `savepoint` for a
 *   `savepoint-…` directory, else `checkpoint`. Job id: the job directory the snapshot sits in.
 * - References are resolved by {@link Resolver} (see `resolve.ts` for the rules); relative handles
 *   missing next to `_metadata` are looked up in scanned savepoint directories (FLINK-39964) and
 *   then carry a `note`. Inline references only count in `sizes.inlineBytes`. File-merging
 *   directory references (tag 17) appear in `files` with handle `directory` and protect the
 *   directory, but count neither in `Dependency.files` nor in bytes (only as missing when absent).
 * - Orphans are searched under the scanned roots only, in Flink storage directories (`chk-<n>`,
 *   `shared/`, `taskowned/`, file-merging and `dstl/` directories, savepoint directories) and are
 *   reported at the highest directory whose whole content is orphaned. A job with an unreadable or
 *   legacy `_metadata` gets no unreferenced-file orphans (what it references is unknown); a warning
 *   says so.
 *
 * Never throws for problems of the input; they become warnings or checkpoint statuses.
 */
export async function buildAnalysis(scan: ScanResult, loadedInput: readonly LoadedSnapshot[], options: AnalyseOptions = {}): Promise<Analysis> {
	// Dedupe snapshots by metadata path: the first wins.
	const loadedMap = new Map<string, LoadedSnapshot>();
	for (const l of loadedInput) if (!loadedMap.has(l.metadataPath)) loadedMap.set(l.metadataPath, l);
	const builder = new AnalysisBuilder(scan, [...loadedMap.keys()], options);
	try {
		for (const l of loadedMap.values()) builder.add(l);
		return await builder.finish();
	} catch (error) {
		builder.abort();
		throw error;
	}
}

/**
 * Builds the analysis while the `_metadata` files load: {@link AnalysisBuilder.add} takes what it
 * needs of each snapshot (its references, summed per file, and what they teach about remote bases)
 * so that the parsed references need not all stay in memory; {@link AnalysisBuilder.finish}
 * resolves, checks and sums (see {@link buildAnalysis} for the rules).
 */
export class AnalysisBuilder {
	/** Add a loaded snapshot: one of the `metadataPaths` given to the constructor, each once, in any order. */
	readonly add: (loaded: LoadedSnapshot) => void;
	/** Build the analysis; every snapshot must have been added (one that was not counts as unreadable). */
	readonly finish: () => Promise<Analysis>;
	/**
	 * Make room for about `files` more distinct files in the snapshots still to be added (a hint:
	 * their columns are then not grown and copied step by step; too few or too many only costs time
	 * or memory).
	 */
	readonly reserve: (files: number) => void;
	/** Give up without {@link finish} (the caller failed): stops what works ahead in other processes. */
	readonly abort: () => void;

	/**
	 * `metadataPaths`: the `_metadata` files that will be added (absolute; duplicates are ignored).
	 * `scan` needs its roots and directories now, its files only when {@link finish} is called.
	 */
	constructor(scan: ScanResult, metadataPaths: readonly string[], options: AnalyseOptions = {}, listedAsWritten?: ListedAsWritten) {
		[this.add, this.finish, this.reserve, this.abort] = makeBuilder(scan, metadataPaths, options, listedAsWritten);
	}
}

function makeBuilder(
	scan: ScanResult,
	metadataPaths: readonly string[],
	options: AnalyseOptions,
	listedAsWritten: ListedAsWritten | undefined,
): [add: (loaded: LoadedSnapshot) => void, finish: () => Promise<Analysis>, reserve: (files: number) => void, abort: () => void] {
	const ctx = new BuildContext(scan, metadataPaths, options, listedAsWritten);
	// The paths outside the roots are `stat`ed while the files load (local ones only).
	let ahead = ctx.remoteRoots ? undefined : new NamesAhead();
	const add = (loaded: LoadedSnapshot): void => {
		const si = ctx.indexOf.get(loaded.metadataPath);
		if (si === undefined || ctx.loadedMap.get(loaded.metadataPath) !== undefined) return;
		ctx.loadedMap.set(loaded.metadataPath, loaded);
		ctx.snaps[si].loaded = loaded;
		accumulateReady(ctx, false);
		ahead?.note(ctx);
	};
	const reserve = (files: number): void => {
		ctx.spellings.reserve(files);
		ctx.kept.reserve(files);
	};
	const finishing = (): Promise<Analysis> => {
		ahead = undefined;
		return finish(ctx);
	};
	return [add, finishing, reserve, () => ctx.prober.abort()];
}

/** Run the phases after loading (see the module doc). */
async function finish(ctx: BuildContext): Promise<Analysis> {
	const {scan, snaps, warnings} = ctx;
	warnings.push(...scan.warnings);
	ctx.entryOfFile = new Int32Array(scan.files.size).fill(-1);
	accumulateReady(ctx, true);
	/** References that may name scanned files they do not map to (phase 5 holds those files' directories). */
	const unsure = new UnsureReferences();
	const spellings = ctx.spellings.count;
	resolveWrittenPaths(ctx, unsure);
	collectAfterResolution(spellings);
	// After the collection: the maps of probed names are not made on top of the spellings' garbage.
	await ctx.prober.probe(toProbe(ctx));
	relativeFallback(ctx);
	const unlisted = unlistedOf(ctx);
	const usage = findUsers(ctx, unlisted, unsure);
	// Every entry is settled: the probe's answers are in it.
	ctx.prober.forget();
	const facts = analyseCheckpoints(ctx, usage);
	const dirs = aggregateDirectories(ctx, usage, unlisted, unsure);
	const jobs = jobFacts(ctx, unlisted);
	const {orphans, incomplete} = findOrphans(ctx, usage, unlisted, dirs, jobs);
	const summaries = summariseJobs(ctx, facts, dirs, [...snaps.map((s) => s.analysis!), ...incomplete], orphans);
	const counted = orphans.filter((o) => !o.possiblyInProgress);
	const roots = [...scan.roots];
	for (const s of snaps) if (!ctx.inside(s.loaded.metadataPath)) roots.push(s.loaded.metadataPath);
	return {
		roots,
		mappings: ctx.resolver.mappings().map(({remote, local, inferred}) => ({remote, local, inferred})),
		jobs: summaries,
		checkpoints: summaries.flatMap((j) => j.checkpoints),
		orphans,
		missing: facts.missing,
		damaged: facts.damaged,
		warnings,
		totals: {
			files: scan.files.size,
			bytesOnDisk: dirs.bytesOnDisk,
			orphans: counted.length,
			orphanBytes: counted.reduce((n, o) => n + o.bytes, 0),
			missing: facts.missing.length,
			damaged: facts.damaged.length,
			checkpoints: snaps.filter((s) => s.kind === 'checkpoint').length,
			savepoints: snaps.filter((s) => s.kind === 'savepoint').length,
		},
		referencedBy: referencedByOf(ctx, facts),
		scannedFiles: scan.files,
		quarantines: scan.quarantines ?? [],
		minAgeMs: ctx.minAgeMs,
		analysedAtMs: ctx.nowMs,
	};
}

/** The snapshot directories that reference a path (a file, a storage or job directory, a `_metadata`), looked up lazily: a map with an entry per referenced file is a lot of memory and time. */
function referencedByOf(ctx: BuildContext, facts: CheckpointFacts): ReferencedBy {
	const {entries} = ctx;
	const sortedUsers = new Map<string, readonly string[]>();
	return {
		get(path: string): readonly string[] | undefined {
			let list = sortedUsers.get(path);
			if (list !== undefined) return list;
			const ofPlace = facts.referencedBySets.get(path);
			const slash = path.lastIndexOf('/');
			const local = slash < 0 ? undefined : ctx.localDirs.get(slash === 0 ? '/' : path.slice(0, slash));
			const id = local === undefined ? undefined : ctx.entryAt(local, path.slice(slash + 1));
			const ofFile = id === undefined || entries.state[id] === OUTSIDE || entries.usersFrom[id] < 0 ? undefined : ctx.snapshotDirs(id);
			if (ofPlace === undefined && ofFile === undefined) return undefined;
			list = ofFile === undefined ? [...ofPlace!].sort() : ofPlace === undefined ? [...ofFile].sort() : [...new Set([...ofPlace, ...ofFile])].sort();
			sortedUsers.set(path, list);
			return list;
		},
	};
}
