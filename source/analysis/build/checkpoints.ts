/**
 * Phase 4 of the build: the analysis of each loaded snapshot (status, including damaged and
 * unknown files; sizes; dependencies by storage directory; its resolved files, built when first
 * read), then the lists of missing and damaged files.
 */
import {normaliseStoreUri} from '../../store/uri.js';
import {parentPath, SAVEPOINT_DIR_RE} from '../../tree/layout.js';
import {DamageTracker, neededBytes, segmentEnd} from '../damaged.js';
import {EXISTS, MISSING, OUTSIDE, UNKNOWN} from '../entries.js';
import {ExclusiveBytes} from '../exclusive.js';
import {summariseOperators} from '../operators.js';
import type {CheckpointAnalysis, CheckpointStatus, DamagedFile, Dependency, MissingFile, ResolvedFile, StorageDirectoryKind} from '../types.js';
import {registerFileSource, resolvedFiles} from './checkpoint-files.js';
import type {BuildContext, Snap} from './context.js';
import {lazyProperty, pushUnique, toNumber} from './helpers.js';
import {registerSnapshotEntries} from './entry-table.js';
import {Places} from './places.js';
import type {Usage} from './settle.js';
import {compact, emptySnapshotFiles, type SettledSnapshotFiles, type SnapshotFiles} from './snapshot-files.js';

/** What the checkpoints phase found, for the phases after it. */
export interface CheckpointFacts {
	/** The snapshot directories that reference a storage directory, a file-merging directory's parent, a job directory or a `_metadata`, by its path. */
	referencedBySets: Map<string, string[]>;
	/** Local paths of missing files, by the `path` of the checkpoints that reference them. */
	missingPathsOf: Map<string, Set<string>>;
	/** Local paths of damaged files, by the `path` of the checkpoints that need them. */
	damagedPathsOf: Map<string, string[]>;
	/** Per job (directory; `null`: snapshots outside job directories): the bytes only its snapshots use. */
	exclusive: ExclusiveBytes;
	missing: MissingFile[];
	damaged: DamagedFile[];
}

const KIND_ORDER: Record<StorageDirectoryKind, number> = {
	chk: 0,
	shared: 1,
	taskowned: 2,
	'file-merging': 3,
	changelog: 4,
	savepoint: 5,
	other: 6,
};

/** The sums of one snapshot's files, and its dependencies (with the index of each file's). */
interface SnapshotSums {
	depsInOrder: Dependency[];
	depIndex: Map<string, number>;
	depOf: Int32Array;
	missingPaths: Set<string>;
	referencedBytes: number;
	sharedBytes: number;
	exclusiveBytes: number;
	missing: number;
	outside: number;
	unknown: number;
	damaged: number;
	/** Segment files: the bytes their segments need (the others need their size). */
	segmentNeeds: Map<number, number> | null;
}

/** The phase's state while it goes through the snapshots. */
interface Walk {
	ctx: BuildContext;
	usage: Usage;
	places: Places;
	damage: DamageTracker;
	facts: CheckpointFacts;
	/** The objects references name below entropy prefixes that were not listed, by path (see {@link isMissingAsWritten}). */
	missingAsWritten: Map<string, MissingFile>;
}

/**
 * The state for snapshot `s` of its reference `uri`, whose entry's state is `state` (EXISTS or
 * MISSING), when it names an object below an entropy prefix (see `ListedAsWritten`): MISSING when
 * that object was not listed although its entropy-free path was (a copy below another prefix is
 * not the file Flink reads; put in `walk.missingAsWritten`), UNKNOWN when its prefix was not
 * listed; else `state`.
 */
function stateAsWritten(walk: Walk, s: Snap, uri: string, state: number): number {
	const listed = walk.ctx.listedAsWritten!(uri);
	if (listed === undefined || listed === true) return state;
	if (listed === 'unlisted') return UNKNOWN;
	if (state !== EXISTS) return state;
	const path = normaliseStoreUri(uri);
	const known = walk.missingAsWritten.get(path);
	if (known === undefined) walk.missingAsWritten.set(path, {path, uri, referencedBy: [s.dir]});
	else if (!known.referencedBy.includes(s.dir)) known.referencedBy.push(s.dir);
	return MISSING;
}

/**
 * Phase 4: set `analysis` of every snapshot (in path order, reporting progress), then list the
 * missing and damaged files from the entries' users.
 */
export function analyseCheckpoints(ctx: BuildContext, usage: Usage): CheckpointFacts {
	const {entries} = ctx;
	const facts: CheckpointFacts = {
		referencedBySets: new Map(),
		missingPathsOf: new Map(),
		damagedPathsOf: new Map(),
		exclusive: new ExclusiveBytes(entries.count),
		missing: [],
		damaged: [],
	};
	const walk: Walk = {ctx, usage, places: new Places(ctx), damage: new DamageTracker(), facts, missingAsWritten: new Map()};
	for (let si = 0; si < ctx.snaps.length; si++) {
		const s = ctx.snaps[si];
		s.analysis = analyseSnapshot(walk, si);
		ctx.progress?.({phase: 'analyse', done: si + 1, total: ctx.snaps.length, path: s.loaded.metadataPath});
	}
	const {state} = entries;
	for (let id = 0; id < entries.count; id++) {
		if (state[id] === MISSING && entries.usersFrom[id] >= 0) {
			facts.missing.push({path: entries.localPath(id), uri: entries.uri[id], referencedBy: ctx.snapshotDirs(id).sort()});
		}
	}
	for (const file of walk.missingAsWritten.values()) facts.missing.push({...file, referencedBy: file.referencedBy.sort()});
	ctx.clearOtherEntries();
	facts.missing.sort((a, b) => (a.path < b.path ? -1 : 1));
	facts.damaged = walk.damage.list((id) => ({path: entries.localPath(id), uri: entries.uri[id], actualBytes: entries.diskSize[id]}));
	facts.exclusive.addFiles(entries.diskSize);
	// Each (checkpoint, damaged file) pair comes once: a plain push. `pushUnique`'s search made this
	// quadratic in the damaged files of one checkpoint (88 % of 145 s on a 200,000-file tree whose
	// state files were all cut short).
	for (const file of facts.damaged) {
		for (const dir of file.referencedBy) {
			const paths = facts.damagedPathsOf.get(dir);
			if (paths === undefined) facts.damagedPathsOf.set(dir, [file.path]);
			else paths.push(file.path);
		}
	}
	ctx.lastLocal = null;
	return facts;
}

/**
 * Sum the files of snapshot `si` and put each in its dependency. The loop over every snapshot ×
 * file pair of the tree (millions): its sums stay in locals, hence its length.
 */
function sumFiles(walk: Walk, si: number, sf: SnapshotFiles, job: number): SnapshotSums {
	const {ctx, usage, places, damage, facts} = walk;
	const {entries, kept, resolver} = ctx;
	const {state} = entries;
	const isShared = usage.isShared;
	const ambiguous = ctx.ambiguousEntries.size > 0 ? ctx.ambiguousEntries : null;
	const s = ctx.snaps[si];
	const targets = sf.targets;
	const depOf = new Int32Array(targets.length);
	const depIndex = new Map<string, number>();
	const depsInOrder: Dependency[] = [];
	const missingPaths = new Set<string>();
	let referencedBytes = 0;
	let sharedBytes = 0;
	let missing = 0;
	let outside = 0;
	let unknown = 0;
	let damaged = 0;
	let segmentNeeds: Map<number, number> | null = null;
	let exclusiveBytes = s.loaded.size;
	for (let i = 0; i < targets.length; i++) {
		const id = targets[i];
		const handle = kept.handleOf(sf.firsts[i]);
		const uri = kept.pathOf(sf.firsts[i]);
		const directory = handle === 'directory';
		let entryState = state[id];
		if ((entryState === EXISTS || entryState === MISSING) && ctx.listedAsWritten !== undefined) entryState = stateAsWritten(walk, s, uri, entryState);
		// Metadata size, or the size on disk when unknown; directories count 0 bytes.
		const size = sf.sizes[i];
		const bytes = directory ? 0 : size >= 0 ? size : entryState !== OUTSIDE ? Math.max(0, entries.diskSize[id]) : 0;
		if (!directory) referencedBytes += bytes;
		if (isShared(id)) sharedBytes += bytes;
		if (entryState === MISSING) {
			missing++;
			missingPaths.add(entryState === state[id] ? entries.localPath(id) : normaliseStoreUri(uri));
		}
		if (entryState === OUTSIDE) outside++;
		// A file of several local copies: this snapshot's copy may be the one that lost it.
		if (entryState === UNKNOWN || (ambiguous !== null && entryState === EXISTS && ambiguous.has(id))) unknown++;
		const segments = sf.segments?.get(i);
		if (segments !== undefined) (segmentNeeds ??= new Map()).set(i, segmentEnd(segments));
		if (entryState === EXISTS && !directory) {
			const diskSize = entries.diskSize[id];
			const needs = neededBytes(handle, size, segmentNeeds?.get(i));
			if (diskSize >= 0 && needs > diskSize) {
				damaged++;
				damage.add(id, needs, s.dir);
			}
			if (!isShared(id)) exclusiveBytes += Math.max(0, diskSize);
			facts.exclusive.addUse(id, job);
		}
		const place = places.of(id, handle, uri);
		// A place is one directory's (most files of a snapshot are in a few): its dependency is
		// looked up by path once per snapshot.
		let d = place.depSnap === si ? place.dep : depIndex.get(place.depPath);
		if (d === undefined) {
			let crossJob = place.jobId !== null && s.jobId !== null && place.jobId !== s.jobId;
			if (place.kind === 'savepoint' && place.jobId === null && place.depPath !== s.dir && place.savepointName !== null) {
				const m = SAVEPOINT_DIR_RE.exec(place.savepointName);
				crossJob = s.jobId === null || m === null || !s.jobId.startsWith(m[1]);
			}
			d = depsInOrder.length;
			depsInOrder.push({path: place.depPath, local: place.local, kind: place.kind, jobId: place.jobId, crossJob, files: 0, bytes: 0, missing: 0, fileList: []});
			depIndex.set(place.depPath, d);
		}
		place.depSnap = si;
		place.dep = d;
		depOf[i] = d;
		const dep = depsInOrder[d];
		if (!directory) {
			dep.files++;
			dep.bytes += bytes;
		}
		if (entryState === MISSING) dep.missing++;
		if (place.mapped && place.snap !== si) {
			// Once per snapshot and place: the storage directory, a file-merging directory's
			// parent and the job directory are referenced by the snapshot.
			place.snap = si;
			pushUnique(facts.referencedBySets, place.depPath, s.dir);
			const layout = resolver.layoutOf(place.depPath);
			if (layout.kind === 'file-merging') pushUnique(facts.referencedBySets, parentPath(place.depPath), s.dir);
			if (layout.jobDir !== null) pushUnique(facts.referencedBySets, layout.jobDir, s.dir);
		}
	}
	return {depsInOrder, depIndex, depOf, missingPaths, referencedBytes, sharedBytes, exclusiveBytes, missing, outside, unknown, damaged, segmentNeeds};
}

/** The analysis of snapshot `si`; its `files` and its dependencies' `fileList` are built when first read. */
function analyseSnapshot(walk: Walk, si: number): CheckpointAnalysis {
	const {ctx, facts} = walk;
	const s = ctx.snaps[si];
	const l = s.loaded;
	const sf = ctx.snapFilesOf[si];
	const job = facts.exclusive.jobIndex(s.jobDir);
	facts.exclusive.addBytes(job, l.size);
	const sums = sumFiles(walk, si, sf, job);
	const {depsInOrder, depOf} = sums;
	ctx.snapFilesOf[si] = emptySnapshotFiles();
	let files: ResolvedFile[] | undefined;
	// Kept until then in typed arrays (a big tree has millions of snapshot × file pairs).
	let unresolved: SettledSnapshotFiles | null = {
		targets: compact(sf.targets),
		firsts: compact(sf.firsts),
		counts: compact(sf.counts),
		sizes: compact(sf.sizes),
		segmentNeeds: sums.segmentNeeds,
		notes: sf.notes,
	};
	const filesOf = (): ResolvedFile[] => {
		if (files === undefined) {
			files = resolvedFiles(ctx, unresolved!, depsInOrder, depOf);
			unresolved = null;
		}
		return files;
	};
	for (const dep of depsInOrder) lazyProperty(dep, 'fileList', () => (filesOf(), dep.fileList));
	pushUnique(facts.referencedBySets, l.metadataPath, s.dir);
	const cp = checkpointOf(ctx, s, sums);
	lazyProperty(cp, 'files', filesOf);
	registerFileSource(ctx, cp, unresolved.targets, () => unresolved, filesOf);
	registerSnapshotEntries(ctx, cp, unresolved.targets, unresolved.firsts);
	if (sums.missingPaths.size > 0) facts.missingPathsOf.set(s.dir, sums.missingPaths);
	return cp;
}

/** The analysis of snapshot `s` from the sums of its files (`files` left empty), with a warning when it is unreadable. */
function checkpointOf(ctx: BuildContext, s: Snap, sums: SnapshotSums): CheckpointAnalysis {
	const l = s.loaded;
	const result = l.result;
	const {depsInOrder, depIndex, missing, damaged, unknown} = sums;
	const dependencies = [...depsInOrder].sort((a, b) => {
		const ao = a.path === s.dir ? -1 : KIND_ORDER[a.kind];
		const bo = b.path === s.dir ? -1 : KIND_ORDER[b.kind];
		return ao - bo || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
	});
	const ownIndex = depIndex.get(s.dir);
	const own = ownIndex === undefined ? undefined : depsInOrder[ownIndex];
	let status: CheckpointStatus;
	let error: string | undefined;
	if (!result) {
		status = 'unreadable';
		error = l.error ?? 'could not be read';
		ctx.warnings.push({code: 'unreadable-metadata', path: l.metadataPath, message: `unreadable _metadata: ${error}`});
	} else if (result.metadata.legacy !== undefined) {
		status = 'legacy';
		error = result.metadata.legacy;
	} else {
		status = missing > 0 ? 'missing-files' : damaged > 0 ? 'damaged' : unknown > 0 ? 'unknown-files' : 'complete';
	}
	if (status === 'unknown-files') {
		error = `${unknown === 1 ? '1 referenced file lies' : `${unknown} referenced files lie`} below a directory that could not be read or entropy prefixes that were not listed, a symlink fcx does not follow, or in one of several local copies of its directory: not known to exist`;
	}
	const dirId = s.layout.storageDir === s.dir ? s.layout.checkpointId : null;
	const cp: CheckpointAnalysis = {
		path: s.dir,
		metadataPath: l.metadataPath,
		jobId: s.jobId,
		kind: s.kind,
		checkpointId: result ? toNumber(result.metadata.checkpointId) : dirId,
		formatVersion: result ? result.metadata.version : null,
		status,
		timeMs: l.mtimeMs,
		properties: result?.metadata.trailer?.properties ?? null,
		files: [],
		dependencies,
		operators: result ? (l.operators ?? summariseOperators(result.metadata, result.references, s.kind === 'savepoint')) : [],
		sizes: {
			referencedBytes: sums.referencedBytes,
			ownDirectoryBytes: own?.bytes ?? 0,
			sharedBytes: sums.sharedBytes,
			inlineBytes: s.inlineBytes,
			metadataBytes: l.size,
			exclusiveBytes: sums.exclusiveBytes,
		},
		missing,
		damaged,
		outside: sums.outside,
	};
	if (error !== undefined) cp.error = error;
	if (l.approximate !== undefined) cp.approximateReferences = l.approximate;
	return cp;
}
