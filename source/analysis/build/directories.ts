/**
 * Phase 5 of the build: per scanned directory, the sums of everything below it (files, bytes,
 * newest change, referenced files and directories). Files that a reference fcx could not map may
 * name count as referenced (held), and their directories get no unreferenced-file orphans. A
 * directory that could not be listed may hold anything: it and every directory above it count as
 * referenced (never an orphan, nor a dead job).
 */
import {METADATA_FILE, parentPath} from '../../tree/layout.js';
import {heldWarnings, type HeldDirectory, type UnsureReferences} from '../unmapped.js';
import type {BuildContext} from './context.js';
import type {Unlisted, Usage} from './settle.js';

/** What lies below a scanned directory (itself included). */
export interface DirAgg {
	/** Scanned files. */
	files: number;
	/** Their bytes on disk. */
	bytes: number;
	/** Newest mtime of its files and directories, ms (0: none). */
	newestMs: number;
	/** Referenced files and directories, plus one per unlisted directory (> 0: not all orphaned). */
	referenced: number;
}

/** The aggregates of the scanned directories. */
export interface DirectoryAggregates {
	/** The aggregate of `dir` (all zero when nothing was scanned below it). */
	aggOf: (dir: string) => DirAgg;
	/** Bytes of every scanned file. */
	bytesOnDisk: number;
	/** Directories with files a reference fcx could not map may name (see `UnsureReferences.holdDirectories`). */
	held: ReadonlyMap<string, HeldDirectory>;
}

const EMPTY_AGG: DirAgg = {files: 0, bytes: 0, newestMs: 0, referenced: 0};

/** Phase 5: sum every scanned directory's content into it and each scanned ancestor up to its root (held directories are warned about). */
export function aggregateDirectories(ctx: BuildContext, usage: Usage, unlisted: Unlisted, unsure: UnsureReferences): DirectoryAggregates {
	const {scan} = ctx;
	const {referencedFiles, referencedDirs} = usage;
	const held = unsure.holdDirectories(scan.files, referencedFiles);
	ctx.warnings.push(...heldWarnings(held));
	const agg = new Map<string, DirAgg>();
	const getAgg = (dir: string): DirAgg => {
		let a = agg.get(dir);
		if (a === undefined) agg.set(dir, (a = {files: 0, bytes: 0, newestMs: 0, referenced: 0}));
		return a;
	};
	const rootSet = new Set(scan.roots);
	let bytesOnDisk = 0;
	// Directory by directory: the sums of its files go to it and each scanned ancestor.
	for (const dir of scan.files.directories()) {
		const metadataLoaded = ctx.loadedMap.has(`${dir}/${METADATA_FILE}`) && scan.files.hasFile(dir, METADATA_FILE);
		let files = 0;
		let bytes = 0;
		let newestMs = 0;
		let referenced = 0;
		scan.files.forEachFile(dir, (name, id) => {
			files++;
			bytes += scan.files.sizeOf(id);
			const mtimeMs = scan.files.mtimeOf(id);
			if (mtimeMs > newestMs) newestMs = mtimeMs;
			if (referencedFiles[id] !== 0 || (metadataLoaded && name === METADATA_FILE)) referenced++;
		});
		bytesOnDisk += bytes;
		let cur = dir;
		while (scan.directories.has(cur)) {
			const a = getAgg(cur);
			a.files += files;
			a.bytes += bytes;
			if (newestMs > a.newestMs) a.newestMs = newestMs;
			a.referenced += referenced;
			if (rootSet.has(cur)) break;
			cur = parentPath(cur);
		}
	}
	for (const [dir, d] of scan.directories) {
		let cur = dir;
		while (scan.directories.has(cur)) {
			const a = getAgg(cur);
			if (d.mtimeMs > a.newestMs) a.newestMs = d.mtimeMs;
			if (referencedDirs.has(dir)) a.referenced++;
			if (rootSet.has(cur)) break;
			cur = parentPath(cur);
		}
	}
	for (const dir of unlisted.paths) {
		// From the nearest scanned directory at or above it (a path past PATH_MAX, a `_metadata` that is no file).
		let start = dir;
		while (!scan.directories.has(start) && start !== parentPath(start)) start = parentPath(start);
		for (let cur = start; scan.directories.has(cur); cur = parentPath(cur)) {
			getAgg(cur).referenced++;
			if (rootSet.has(cur)) break;
		}
	}
	return {aggOf: (dir) => agg.get(dir) ?? EMPTY_AGG, bytesOnDisk, held};
}
