/**
 * The why of a job's storage (issue 24): what its directory holds, part by part of Flink's layout
 * (`chk-<n>`, `shared/` referenced and orphaned, `taskowned/`, the rest), the bytes only this job
 * holds and the bytes other jobs' snapshots still need (a restore in CLAIM or LEGACY mode leaves
 * them referencing it). Made from the analysis alone, once per analysis ({@link jobStorage}): read
 * only, no file system. Sizes are bytes on disk from the scan.
 */
import {classifyPath, DirectorySet, FileTable, isInside} from '../tree/index.js';
import type {ScannedFiles} from '../tree/file-table.js';
import {unreadableReferrerCounts} from './what-if.js';
import type {Analysis, JobSummary} from './types.js';

/** The parts of a job directory, in display order. */
export const STORAGE_PARTS = ['checkpoints', 'shared-referenced', 'shared-orphaned', 'taskowned', 'other'] as const;

/**
 * A part of a job directory: `checkpoints` the `chk-<n>` directories (exclusive state and
 * `_metadata`), `shared-referenced` what in `shared/` is not an orphan (referenced by a snapshot,
 * younger than `--min-age`, or kept because fcx cannot know), `shared-orphaned` the orphans in
 * `shared/` (not those possibly in progress), `taskowned` the `taskowned/` directory, `other`
 * anything else below the job directory.
 */
export type StoragePart = (typeof STORAGE_PARTS)[number];

/** The bytes and files of one {@link StoragePart}. */
export interface StoragePartSize {
	part: StoragePart;
	bytes: number;
	files: number;
}

/** Another job (or the snapshots outside job directories) whose snapshots reference files of a job. */
export interface StorageNeededBy {
	/** Its job directory, or the snapshot directory when it is not in a job directory. */
	path: string;
	/** `null` for snapshots outside job directories. */
	jobId: string | null;
	/** Files of the job directory it references that exist. */
	files: number;
	bytes: number;
}

/** The storage of one job directory. */
export interface JobStorage {
	jobPath: string;
	jobId: string;
	/** Scanned files below the job directory and their bytes (a changelog directory elsewhere is not counted). */
	files: number;
	bytes: number;
	/** Every part of {@link STORAGE_PARTS}, in that order (zero ones too). */
	parts: StoragePartSize[];
	/** Bytes of files below the job directory that a snapshot of another job references: deleting the directory would break those. */
	neededByOthersBytes: number;
	/** `bytes - neededByOthersBytes`: what only this job holds (deleting the directory frees it, breaking nothing that was read). */
	onlyThisJobBytes: number;
	/** Who needs `neededByOthersBytes`, most bytes first. */
	neededBy: StorageNeededBy[];
	/**
	 * Snapshots outside the job directory whose references are not known (unreadable or legacy
	 * `_metadata`, or a directory that could not be listed): they may need more of it.
	 */
	unknownReferrers: number;
}

const cache = new WeakMap<Analysis, JobStorage[]>();

/**
 * The storage of every job with a job directory (not the group of snapshots outside job
 * directories), in the order of `analysis.jobs`. Computed once per analysis and kept: one pass over
 * the scanned files, and the file lists of the dependencies one job has in another's directory.
 */
export function jobStorage(analysis: Analysis): JobStorage[] {
	let result = cache.get(analysis);
	if (result === undefined) {
		result = computeStorage(analysis);
		cache.set(analysis, result);
	}
	return result;
}

/** The storage of the job at `jobPath`, or `undefined` (no such job directory). */
export function storageOfJob(analysis: Analysis, jobPath: string): JobStorage | undefined {
	return jobStorage(analysis).find((s) => s.jobPath === jobPath);
}

function computeStorage(analysis: Analysis): JobStorage[] {
	const jobs = analysis.jobs.filter((j): j is JobSummary & {jobId: string} => j.jobId !== null);
	const byPath = new Map<string, JobStorage>();
	for (const job of jobs) {
		if (byPath.has(job.path)) continue;
		byPath.set(job.path, {
			jobPath: job.path,
			jobId: job.jobId,
			files: 0,
			bytes: 0,
			parts: STORAGE_PARTS.map((part) => ({part, bytes: 0, files: 0})),
			neededByOthersBytes: 0,
			onlyThisJobBytes: 0,
			neededBy: [],
			unknownReferrers: 0,
		});
	}
	sumParts(analysis, byPath);
	addNeededByOthers(analysis, byPath);
	const storages = [...byPath.values()];
	const unknownReferrers = unreadableReferrerCounts(
		analysis,
		storages.map((s) => s.jobPath),
	);
	storages.forEach((storage, i) => {
		storage.onlyThisJobBytes = storage.bytes - storage.neededByOthersBytes;
		storage.unknownReferrers = unknownReferrers[i];
	});
	return [...byPath.values()];
}

/** Call `fn` with every scanned file's directory, name and size (by directory for a {@link FileTable}: no path per file made). */
function forEachScanned(files: ScannedFiles, fn: (dir: string, name: string, size: number) => void): void {
	if (files instanceof FileTable) {
		for (const dir of files.directories()) files.forEachFile(dir, (name, id) => fn(dir, name, files.sizeOf(id)));
		return;
	}
	for (const [path, stat] of files) {
		const slash = path.lastIndexOf('/');
		fn(slash <= 0 ? '/' : path.slice(0, slash), path.slice(slash + 1), stat.size);
	}
}

/** The part of a directory below a job directory (`rest`: its path after `<job dir>/`, may be empty). */
function partOfDir(rest: string): 'checkpoints' | 'shared' | 'taskowned' | 'other' {
	const slash = rest.indexOf('/');
	const first = slash < 0 ? rest : rest.slice(0, slash);
	if (/^chk-\d+$/.test(first)) return 'checkpoints';
	if (first === 'shared' || first === 'taskowned') return first;
	return 'other';
}

/** One pass over the scanned files: each file below a job directory counts in its job and part. */
function sumParts(analysis: Analysis, byPath: Map<string, JobStorage>): void {
	const counted = analysis.orphans.filter((o) => !o.possiblyInProgress);
	const orphanDirs = new DirectorySet(counted.filter((o) => o.type === 'directory').map((o) => o.path));
	// Orphan files by directory, then name: a path made per file (and hashed) cost 1.7 µs a file.
	const orphanFiles = new Map<string, Set<string>>();
	for (const o of counted) {
		if (o.type !== 'file') continue;
		const slash = o.path.lastIndexOf('/');
		const dir = o.path.slice(0, slash);
		let names = orphanFiles.get(dir);
		if (names === undefined) orphanFiles.set(dir, (names = new Set()));
		names.add(o.path.slice(slash + 1));
	}
	const index: Record<string, number> = Object.fromEntries(STORAGE_PARTS.map((p, i) => [p, i]));
	// The files of a directory come together: its job, part and orphan status are found once.
	let lastDir: string | null = null;
	let storage: JobStorage | undefined;
	let part = 'other';
	let wholeOrphan = false;
	let orphanNames: Set<string> | undefined;
	forEachScanned(analysis.scannedFiles, (dir, name, size) => {
		if (dir !== lastDir) {
			lastDir = dir;
			const jobDir = classifyPath(dir).jobDir;
			storage = jobDir === null ? undefined : byPath.get(jobDir);
			if (storage !== undefined) {
				part = partOfDir(dir.slice(storage.jobPath.length + 1));
				wholeOrphan = orphanDirs.contains(dir);
				orphanNames = orphanFiles.get(dir);
			}
		}
		if (storage === undefined) return;
		let p = part;
		if (p === 'shared') p = wholeOrphan || orphanNames?.has(name) === true ? 'shared-orphaned' : 'shared-referenced';
		const entry = storage.parts[index[p]];
		entry.bytes += size;
		entry.files++;
		storage.bytes += size;
		storage.files++;
	});
}

/**
 * The files of each job directory that snapshots of other jobs reference (existing ones, by path,
 * each counted once per job directory and once per referring job). A file-merging directory
 * referenced as a whole counts with every scanned file below it.
 */
function addNeededByOthers(analysis: Analysis, byPath: Map<string, JobStorage>): void {
	/** Job directory → referring job (or snapshot) path → file path → bytes. */
	const needed = new Map<string, Map<string, Map<string, number>>>();
	const jobIdOf = new Map<string, string | null>();
	/** Directories referenced as a whole (file merging), with the file map they fill. */
	const wholeDirs: [string, Map<string, number>][] = [];
	for (const cp of analysis.checkpoints) {
		if (cp.metadataPath === null) continue;
		const from = classifyPath(cp.path).jobDir;
		for (const dep of cp.dependencies) {
			if (!dep.local) continue;
			const jobDir = classifyPath(dep.path).jobDir;
			if (jobDir === null || jobDir === from || !byPath.has(jobDir)) continue;
			const referrer = from ?? cp.path;
			jobIdOf.set(referrer, from === null ? null : cp.jobId);
			let ofJob = needed.get(jobDir);
			if (ofJob === undefined) needed.set(jobDir, (ofJob = new Map()));
			let files = ofJob.get(referrer);
			if (files === undefined) ofJob.set(referrer, (files = new Map()));
			for (const file of dep.fileList) {
				if (file.path === null) continue;
				if (file.handle === 'directory') wholeDirs.push([file.path, files]);
				else if (file.exists === true) files.set(file.path, file.actualSize ?? Math.max(0, file.size));
			}
		}
	}
	if (wholeDirs.length > 0) {
		forEachScanned(analysis.scannedFiles, (dir, name, size) => {
			for (const [whole, files] of wholeDirs) if (isInside(dir, whole)) files.set(`${dir}/${name}`, size);
		});
	}
	for (const [jobDir, referrers] of needed) {
		const storage = byPath.get(jobDir)!;
		const all = new Map<string, number>();
		for (const [path, files] of referrers) {
			let bytes = 0;
			for (const [file, size] of files) {
				bytes += size;
				all.set(file, size);
			}
			if (files.size > 0) storage.neededBy.push({path, jobId: jobIdOf.get(path) ?? null, files: files.size, bytes});
		}
		for (const size of all.values()) storage.neededByOthersBytes += size;
		storage.neededBy.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1));
	}
}
