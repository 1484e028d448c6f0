/**
 * The resolved files of a checkpoint, from the typed arrays the checkpoints phase keeps: all of
 * them at once (`checkpoint.files`, built when first read and kept, with identical files shared
 * between checkpoints), or one at a time without keeping any ({@link CheckpointFileSource}, for
 * writers that go through a million files once).
 */
import {neededBytes} from '../damaged.js';
import {EXISTS} from '../entries.js';
import type {CheckpointAnalysis, Dependency, ResolvedFile} from '../types.js';
import type {BuildContext} from './context.js';
import type {SettledSnapshotFiles} from './snapshot-files.js';

/**
 * A checkpoint's resolved files, in the order of `checkpoint.files`, read one at a time: nothing is
 * built before asked for, nothing is kept after. Each file equals (field by field) the one of
 * `checkpoint.files` at the same index.
 */
export interface CheckpointFileSource {
	/** The number of files (`checkpoint.files.length`). */
	readonly count: number;
	/** The entry id of file `i`: files with the same entry id and a local path have the same `path`. */
	entryId(i: number): number;
	/** `path ?? uri` of file `i` without building it; `local` tells whether it is the entry's `path`. */
	sortKey(i: number): {key: string; local: boolean};
	/** File `i`, built afresh (or taken from `checkpoint.files` once that was built). */
	fileAt(i: number): ResolvedFile;
}

const sources = new WeakMap<CheckpointAnalysis, CheckpointFileSource>();

/** The file source of a checkpoint made by the build; `undefined` for any other object (then read `checkpoint.files`). */
export function checkpointFileSource(checkpoint: CheckpointAnalysis): CheckpointFileSource | undefined {
	return sources.get(checkpoint);
}

/**
 * Register the file source of `checkpoint`, whose files' entry ids are `targets`: `settled()` gives
 * its files' arrays until `checkpoint.files` is built, then `null` and `built()` gives the built list.
 */
export function registerFileSource(
	ctx: BuildContext,
	checkpoint: CheckpointAnalysis,
	targets: Int32Array,
	settled: () => SettledSnapshotFiles | null,
	built: () => ResolvedFile[],
): void {
	const {entries, kept} = ctx;
	sources.set(checkpoint, {
		count: targets.length,
		entryId: (i) => targets[i],
		sortKey(i) {
			const sf = settled();
			if (sf === null) {
				const file = built()[i];
				return {key: file.path ?? file.uri, local: file.path !== null};
			}
			const path = entries.path(sf.targets[i]);
			return path === null ? {key: kept.pathOf(sf.firsts[i]), local: false} : {key: path, local: true};
		},
		fileAt(i) {
			const sf = settled();
			return sf === null ? built()[i] : resolvedFileAt(ctx, sf, i, false);
		},
	});
}

/**
 * File `i` of a snapshot's settled files. With `share`, a file equal in every field to the last one
 * built for its entry is that object (one per physical file in a chain of incremental checkpoints),
 * and the new one becomes the entry's last; without, a new object that nothing keeps.
 */
export function resolvedFileAt(ctx: BuildContext, sf: SettledSnapshotFiles, i: number, share: boolean): ResolvedFile {
	const {entries, kept} = ctx;
	const id = sf.targets[i];
	const first = sf.firsts[i];
	const handle = kept.handleOf(first);
	const uri = kept.pathOf(first);
	const size = sf.sizes[i];
	const needs = neededBytes(handle, size, sf.segmentNeeds?.get(i));
	const references = sf.counts[i];
	const note = sf.notes?.get(i);
	const last = share ? entries.lastFile.get(id) : undefined;
	if (
		last !== undefined &&
		last.uri === uri &&
		last.handle === handle &&
		last.size === size &&
		(last.neededBytes ?? -1) === needs &&
		last.references === references &&
		last.note === note &&
		kept.equals(first, last.reference)
	) {
		return last;
	}
	const path = entries.path(id);
	const diskSize = entries.diskSize[id];
	const asWritten = ctx.listedAsWritten?.(uri);
	const file: ResolvedFile = {
		uri,
		path,
		name: path === null ? undefined : entries.name[id],
		handle,
		size,
		// Below an entropy prefix, the object the reference names (a copy below another prefix is not it).
		exists: entries.exists(id) && (asWritten === undefined || asWritten === true),
		references,
		reference: kept.reference(first),
		actualSize: path !== null && handle !== 'directory' && diskSize >= 0 ? diskSize : undefined,
		note,
	};
	if (needs >= 0) file.neededBytes = needs;
	if (ctx.ambiguousEntries.has(id)) file.ambiguous = true;
	if (needs >= 0 && entries.state[id] === EXISTS && handle !== 'directory' && diskSize >= 0 && needs > diskSize) file.damaged = true;
	if (share) entries.lastFile.set(id, file);
	return file;
}

/**
 * The resolved files of a snapshot, built when first asked for (the report needs them only with
 * `--files`, the explorer only for the checkpoints opened: a big tree has millions), and put into
 * the `fileList` of its dependencies (`deps`, in the order of `depOf`).
 */
export function resolvedFiles(ctx: BuildContext, sf: SettledSnapshotFiles, deps: readonly Dependency[], depOf: Int32Array): ResolvedFile[] {
	const n = sf.targets.length;
	const files: ResolvedFile[] = new Array(n);
	const lists = deps.map((): ResolvedFile[] => []);
	for (let i = 0; i < n; i++) {
		const file = resolvedFileAt(ctx, sf, i, true);
		files[i] = file;
		lists[depOf[i]].push(file);
	}
	deps.forEach((dep, d) => Object.defineProperty(dep, 'fileList', {value: lists[d], enumerable: true, writable: true, configurable: true}));
	return files;
}
