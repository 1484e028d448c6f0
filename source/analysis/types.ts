/**
 * The result of analysing checkpoint trees: what the report prints and the explorer shows.
 * All local paths are absolute. All sizes are bytes, all times are epoch milliseconds.
 */
import type {S3StoreOptions} from '../store/s3.js';
import type {Store} from '../store/types.js';
import type {ApproximateReference} from '../metadata/approximate.js';
import type {CheckpointProperties, FileReference, ReferenceHandle} from '../metadata/types.js';
import type {ScannedFiles} from '../tree/file-table.js';
import type {Quarantine} from '../tree/quarantine.js';

export type {Quarantine, QuarantineRun} from '../tree/quarantine.js';

/** Absolute local path → `path`s of the checkpoints that reference it, sorted (a `Map` is one). */
export interface ReferencedBy {
	get(path: string): readonly string[] | undefined;
}

export type {StorageDirectoryKind} from '../tree/layout.js';
import type {StorageDirectoryKind} from '../tree/layout.js';

/** A referenced file after resolution against the local tree. */
export interface ResolvedFile {
	/** The path as written in the metadata (for relative handles: the relative name). */
	uri: string;
	/** The local absolute path, or `null` when it could not be mapped to the scanned tree. */
	path: string | null;
	/**
	 * The name in `path` (after its last `/`) when `path` is set, as a string of its own: `path` is
	 * its directory and this name joined, which a name cut from it would first copy whole.
	 */
	name?: string;
	handle: ReferenceHandle;
	/** Size recorded in the metadata, bytes; -1 when unknown. */
	size: number;
	/** Whether the local file exists; `null` when `path` is `null` (outside the tree). */
	exists: boolean | null;
	/** Size on disk when it exists, bytes. */
	actualSize?: number;
	/**
	 * Bytes the file must hold for this checkpoint's references (`neededBytes` of `damaged.ts`:
	 * the state size, or a segment's `startPos + size`); absent when the references do not tell.
	 */
	neededBytes?: number;
	/** The file exists but is shorter than `neededBytes`: truncated, the checkpoint cannot be restored. */
	damaged?: boolean;
	/** How many references of the checkpoint point at this file (segments, channel state share files). */
	references: number;
	/** First reference's context, for display. */
	reference: FileReference;
	/** Set when a relative handle was not found next to `_metadata` but in the restored savepoint (FLINK-39964). */
	note?: string;
	/**
	 * Set when the written path may mean another local copy too (see `Resolution.ambiguous`): a
	 * scanned file of the same name elsewhere may be the one this snapshot needs.
	 */
	ambiguous?: true;
}

/** One storage directory a checkpoint depends on, with its files. */
export interface Dependency {
	/** Local absolute directory path, or the remote prefix (as written) when it is outside the tree. */
	path: string;
	/** Whether `path` is a local path inside the scanned roots. */
	local: boolean;
	kind: StorageDirectoryKind;
	/** Job that owns the directory, when the layout tells. */
	jobId: string | null;
	/** The directory belongs to another job than the checkpoint (trace of a CLAIM / LEGACY restore). */
	crossJob: boolean;
	files: number;
	/** Bytes referenced in this directory (metadata sizes; actual size when unknown). */
	bytes: number;
	missing: number;
	/** The checkpoint's files in this directory; made when first read (by `analyse`: a big tree has millions). */
	fileList: ResolvedFile[];
}

/** Status of a snapshot directory. */
export type CheckpointStatus =
	| 'complete' // `_metadata` parsed, every referenced local file exists
	| 'missing-files' // `_metadata` parsed, some referenced files are missing
	| 'unknown-files' // `_metadata` parsed, none missing, but some referenced files lie below a directory that could not be read
	| 'damaged' // `_metadata` parsed, every referenced local file exists, some are shorter than their references need
	| 'unreadable' // `_metadata` could not be parsed, or its `chk-<n>` directory could not be listed
	| 'legacy' // format version 0 / 1
	| 'incomplete' // chk-<n> without `_metadata` (aborted or failed); also listed as an orphan
	| 'in-progress'; // chk-<n> without `_metadata`, newer than the newest complete one and younger than --min-age

/** A summary of one operator, for the checkpoint view. */
export interface OperatorSummary {
	operatorId: string;
	name: string | null;
	uid: string | null;
	parallelism: number;
	maxParallelism: number;
	/** Running subtasks with state entries. */
	subtasks: number;
	finishedSubtasks: number;
	fullyFinished: boolean;
	/** Human labels of the state kinds present, e.g. `operator state`, `keyed state (incremental)`, `channel state`. */
	stateKinds: string[];
	/** Operator-state names (e.g. `SourceReaderState`). */
	stateNames: string[];
	/** Bytes referenced by this operator (files and inline). */
	bytes: number;
}

/** One checkpoint or savepoint (a directory holding `_metadata`, or a loose `_metadata` file). */
export interface CheckpointAnalysis {
	/** Directory holding `_metadata` (for `incomplete` / `in-progress`: the chk-<n> directory). */
	path: string;
	/** `null` for `incomplete` / `in-progress` directories. */
	metadataPath: string | null;
	jobId: string | null;
	kind: 'checkpoint' | 'savepoint';
	/** `null` when the metadata could not be read. */
	checkpointId: number | null;
	formatVersion: number | null;
	status: CheckpointStatus;
	/** mtime of `_metadata`, ms. */
	timeMs: number;
	/** Parse error or legacy message. */
	error?: string;
	properties: CheckpointProperties | null;
	/** Every file the checkpoint references; made when first read (by `analyse`: a big tree has millions). */
	files: ResolvedFile[];
	dependencies: Dependency[];
	operators: OperatorSummary[];
	sizes: {
		/** All bytes referenced (files, not inline). */
		referencedBytes: number;
		/** Bytes referenced in the checkpoint's own directory. */
		ownDirectoryBytes: number;
		/**
		 * Bytes of the referenced files that another loaded snapshot also references (not the bytes
		 * in `shared/`: a file only this checkpoint uses is not counted, wherever it lies; and it
		 * depends on which snapshots were loaded).
		 */
		sharedBytes: number;
		/** Bytes stored inline in `_metadata`. */
		inlineBytes: number;
		/** Size of `_metadata` itself. */
		metadataBytes: number;
		/**
		 * The bytes deleting this snapshot alone would free: its `_metadata` and the local files
		 * (sizes on disk) that no other loaded snapshot references. Files outside the scanned tree
		 * and unreferenced files in its directory (orphans) are not counted.
		 */
		exclusiveBytes: number;
	};
	missing: number;
	/** Number of referenced files that exist but are too short (see `DamagedFile`). */
	damaged: number;
	/** Number of references outside the scanned tree (not checked). */
	outside: number;
	/**
	 * Unreadable `_metadata` only: path-like strings found by scanning its bytes
	 * (`scanPathStrings`). APPROXIMATE, not authoritative: shown to the user, never used to decide
	 * that something is an orphan or missing.
	 */
	approximateReferences?: ApproximateReference[];
}

/** Why something is an orphan (or possibly in progress). */
export type OrphanReason =
	| 'incomplete-checkpoint' // chk-<n> without _metadata
	| 'unreferenced-file' // file in shared/, taskowned/, chk-<n>, savepoint dir that nothing references
	| 'stale-inprogress-metadata' // ._metadata.inprogress.*
	| 'dead-job' // job directory without complete checkpoint and nothing referenced
	| 'unreferenced-directory'; // a directory whose whole content is unreferenced

/** An orphan: a file or directory under the scanned roots that no loaded checkpoint or savepoint needs. */
export interface Orphan {
	path: string;
	type: 'file' | 'directory';
	reason: OrphanReason;
	/** One line for humans. */
	description: string;
	bytes: number;
	/** Files inside (1 for a file). */
	files: number;
	jobId: string | null;
	/** Newest mtime inside, ms. */
	timeMs: number;
	/** `true`: younger than `--min-age`, shown as possibly in progress and not counted as an orphan. */
	possiblyInProgress: boolean;
}

/** A referenced file that does not exist locally. */
export interface MissingFile {
	path: string;
	uri: string;
	/** `path`s (directories) of the checkpoints that reference it. */
	referencedBy: string[];
}

/**
 * A referenced file that exists but is shorter than what the snapshots that reference it need
 * (truncated): those snapshots have status `damaged` and cannot be restored from. A file longer
 * than needed is fine (Flink may write more than a handle covers).
 */
export interface DamagedFile {
	path: string;
	uri: string;
	/** The most bytes one of `referencedBy` needs (`ResolvedFile.neededBytes`). */
	expectedBytes: number;
	/** Its size on disk, bytes. */
	actualBytes: number;
	/** `path`s (directories) of the checkpoints whose references need more than `actualBytes`, sorted. */
	referencedBy: string[];
}

/** A problem met while scanning or loading; the analysis goes on. */
export type {Warning, WarningCode} from '../tree/warnings.js';
import type {Warning} from '../tree/warnings.js';

/** A job directory (32 hex digits) or a pseudo-job grouping loose snapshots (savepoints). */
export interface JobSummary {
	/** The job id, or `null` for the group of savepoints / snapshots outside job directories. */
	jobId: string | null;
	/** Local directory, or the common parent for the savepoint group. */
	path: string;
	/** Label for display: the job id or `savepoints`. */
	label: string;
	checkpoints: CheckpointAnalysis[];
	/**
	 * Newest checkpoint id with a `_metadata` read (status complete or missing-files: Flink's latest
	 * completed checkpoint, which may not be restorable; see `newestCompleteCheckpoint`).
	 */
	latestCheckpointId: number | null;
	/** Total bytes on disk under the job directory. */
	bytesOnDisk: number;
	orphanBytes: number;
	orphans: number;
	missing: number;
	/** Damaged (truncated) files its checkpoints reference. */
	damaged: number;
	/**
	 * The bytes deleting this job's snapshots alone would free: their `_metadata` files and the
	 * local files (sizes on disk) that no snapshot of another job references. Orphans are not
	 * counted (see `orphanBytes`).
	 */
	exclusiveBytes: number;
	/** Other jobs this job's checkpoints reference (restored from). */
	referencesJobs: string[];
	/** Newest `_metadata` mtime, ms. */
	timeMs: number;
}

/** The whole analysis of one or more roots. */
export interface Analysis {
	roots: string[];
	/** Remote prefix → local directory, as given by `--map` or inferred. */
	mappings: {remote: string; local: string; inferred: boolean}[];
	jobs: JobSummary[];
	checkpoints: CheckpointAnalysis[];
	/** Orphans, including the possibly-in-progress ones (see `possiblyInProgress`). */
	orphans: Orphan[];
	missing: MissingFile[];
	/** Referenced files shorter than their references need, by path. */
	damaged: DamagedFile[];
	warnings: Warning[];
	totals: {
		files: number;
		bytesOnDisk: number;
		orphans: number;
		orphanBytes: number;
		missing: number;
		damaged: number;
		checkpoints: number;
		savepoints: number;
	};
	/**
	 * Reverse index: absolute local path of a referenced file or storage directory → `path`s of the
	 * checkpoints that reference it (directly or a file inside it), sorted. Looked up by path only
	 * (a big tree has a million referenced files).
	 */
	referencedBy: ReferencedBy;
	/** Local file → size and mtime from the scan, for the Files view. */
	scannedFiles: ScannedFiles;
	/**
	 * The `.fcx-quarantine` directories below the roots, measured (never part of the tree: never
	 * orphans, never planned). They hold their bytes until emptied. Absent in hand-built analyses.
	 */
	quarantines?: Quarantine[];
	/** `--min-age` used, ms. */
	minAgeMs: number;
	/** When the analysis was made, ms. */
	analysedAtMs: number;
}

/** Options of `analyse`. */
export interface AnalyseOptions {
	/** Explicit `REMOTE_PREFIX=LOCAL_DIR` mappings (`--map`). */
	mappings?: {remote: string; local: string}[];
	/** Files younger than this are possibly in progress, ms. Default 1 h. */
	minAgeMs?: number;
	/** Current time, ms (for tests). */
	nowMs?: number;
	/**
	 * Progress callback while scanning / loading. Phase `list`: objects listed on remote roots, with
	 * `rate` (objects per second since the listing began).
	 */
	onProgress?: (progress: {phase: 'scan' | 'list' | 'load' | 'analyse'; done: number; total?: number; path?: string; rate?: number}) => void;
	/**
	 * How the tree is `lstat`ed (`ScanOptions` of `tree/scan.ts`: from how many files on in worker
	 * processes, how many); by default from 50,000 files, one fewer worker than cores when the
	 * `_metadata` files are big. `parallelStatMinFiles` also says from how many referenced paths
	 * outside the roots on these are `stat`ed in worker processes (`Prober`), ahead of the end of
	 * the loading too. For tuning and tests: the result is the same either way.
	 */
	scan?: {parallelStatMinFiles?: number; statWorkers?: number; onStatWorkerError?: (error: unknown) => void};
	/** How S3 roots (`s3://`, `s3a://`, …) are reached: endpoint, path style, region (default: the SDK's chain). */
	s3?: S3StoreOptions;
	/** How HDFS roots (`hdfs://nn:port/path`, `webhdfs://`) are reached through WebHDFS (default: the root's host, port 9870; `HADOOP_USER_NAME`). */
	hdfs?: {httpAddress?: string; user?: string; delegation?: string};
	/**
	 * Offline listings of the remote roots (`--listing`, `--metadata-from`): the roots are read from
	 * these files (format detected) instead of their store, the `_metadata` files from the local copy.
	 */
	listing?: {files: string[]; metadataFrom?: string};
	/**
	 * Flink's `s3.entropy.key` (`_entropy_`): remote roots are given as `state.checkpoints.dir` is
	 * configured (`s3://b/_entropy_/checkpoints`); their state files are found below every entropy
	 * prefix and shown at their entropy-free paths, where the `_metadata` files are.
	 */
	entropyKey?: string;
	/** Stores to use instead of making them, by kind (`s3`, `hdfs`): tests, or a caller that keeps one open. Not closed. */
	stores?: {s3?: Store; hdfs?: Store};
}

export type {InferredClaimMode, LineageEdge, LineageEvidence, RetentionResult, UnreadableReferrer, WhatIfResult} from './service-types.js';
