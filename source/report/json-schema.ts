/**
 * The wire schema of the JSON report (`fcx report --json`): every field a script may read, with its
 * unit. The conversion from an analysis is `json.ts`, the streaming writer `json-stream.ts`.
 */
import type {CheckpointStatus, LineageEdge, OperatorSummary, OrphanReason, StorageDirectoryKind, WarningCode} from '../analysis/types.js';
import type {StoragePart} from '../analysis/storage.js';
import type {ReferenceHandle} from '../metadata/types.js';

/** Name written into `tool.name`. */
export const TOOL_NAME = 'flink-checkpoint-explorer';

/** Summary of `CheckpointProperties` (the V4+ trailer). */
export interface ReportProperties {
	/** `checkpoint` (CheckpointType), `savepoint` (SavepointType) or `null` when the type is absent. */
	snapshot: 'checkpoint' | 'savepoint' | null;
	/** Type name, e.g. `Checkpoint`, `Full Checkpoint`, `Savepoint`, `Suspend Savepoint`. */
	type: string | null;
	/** Checkpoints: `FORWARD_BACKWARD`, `FORWARD` or `NO_SHARING`. */
	sharingFilesStrategy?: string;
	/** Savepoints: `NONE`, `SUSPEND` or `TERMINATE`. */
	postCheckpointAction?: string;
	/** Savepoints: `CANONICAL` or `NATIVE`. */
	formatType?: string;
	forced: boolean;
	discardSubsumed: boolean;
	discardFinished: boolean;
	discardCancelled: boolean;
	discardFailed: boolean;
	discardSuspended: boolean;
	/** `true` after a NO_CLAIM restore; `null` when the field is absent (older writers). */
	unclaimed: boolean | null;
}

/** One referenced file of a checkpoint. */
export interface ReportFile {
	/** The path as written in the metadata (relative handles: the bare name). */
	uri: string;
	/** Local absolute path, or `null` when outside the scanned tree. */
	path: string | null;
	handle: ReferenceHandle;
	/** Size recorded in the metadata, bytes; -1 unknown. */
	size: number;
	/** Size on disk, bytes, when the file exists. */
	actualSize?: number;
	/** Bytes the file must hold for the checkpoint's references (state size; segments: offset + size), when known. */
	neededBytes?: number;
	/** `true` when the file exists but is shorter than `neededBytes` (truncated). */
	damaged?: boolean;
	/** `null`: not checked (outside the tree). */
	exists: boolean | null;
	/** How many references of the checkpoint point at this file. */
	references: number;
	/** Incremental RocksDB handles: the local file name in the RocksDB instance, e.g. `000026.sst`. */
	localPath?: string;
	/** Where the first reference sits: operator id, subtask index (null: coordinator), state slot. */
	operatorId: string;
	subtaskIndex: number | null;
	slot: string;
	note?: string;
}

/** One storage directory a checkpoint depends on. */
export interface ReportDependency {
	path: string;
	local: boolean;
	kind: StorageDirectoryKind;
	jobId: string | null;
	/** The directory belongs to another job (restored with CLAIM / LEGACY). */
	crossJob: boolean;
	files: number;
	bytes: number;
	missing: number;
}

/** One operator of a checkpoint: the analysis's `OperatorSummary`, copied field by field in this order. */
export type ReportOperator = OperatorSummary;

/** One checkpoint or savepoint directory. */
export interface ReportCheckpoint {
	/** Directory holding `_metadata` (for incomplete / in-progress: the `chk-<n>` directory). */
	path: string;
	metadataPath: string | null;
	jobId: string | null;
	kind: 'checkpoint' | 'savepoint';
	checkpointId: number | null;
	formatVersion: number | null;
	status: CheckpointStatus;
	/** mtime of `_metadata` (ISO-8601), `null` when unknown. */
	time: string | null;
	error?: string;
	/**
	 * Unreadable `_metadata` only: path-like strings found in its bytes. APPROXIMATE and not
	 * authoritative (`notAuthoritative: true`); never used for orphans or missing files.
	 */
	approximate?: {notAuthoritative: true; strings: {offset: number; text: string; kind: string}[]};
	properties: ReportProperties | null;
	sizes: {
		referencedBytes: number;
		ownDirectoryBytes: number;
		sharedBytes: number;
		inlineBytes: number;
		metadataBytes: number;
		/** Bytes deleting this snapshot alone would free: its `_metadata` and the local files no other snapshot references. */
		exclusiveBytes: number;
	};
	/** Referenced files that are missing. */
	missing: number;
	/** Referenced files that exist but are shorter than its references need (see `damaged`). */
	damaged: number;
	/** References outside the scanned tree (not checked). */
	outside: number;
	operators: ReportOperator[];
	/**
	 * Every referenced file, sorted by local path (or uri when not local). Only with
	 * `ReportJsonOptions.files` (`fcx report --json --files`): a tree of a million files makes a
	 * list of gigabytes, and the dependencies answer most questions.
	 */
	files?: ReportFile[];
	/** Sorted by path. */
	dependencies: ReportDependency[];
}

/** One job directory (or the savepoint group, `jobId: null`). */
export interface ReportJob {
	jobId: string | null;
	label: string;
	path: string;
	/** Number of checkpoints and savepoints in the group. */
	checkpoints: number;
	latestCheckpointId: number | null;
	bytesOnDisk: number;
	orphans: number;
	orphanBytes: number;
	missing: number;
	/** Damaged (truncated) files its checkpoints reference. */
	damaged: number;
	/** Bytes deleting this job's snapshots alone would free: their `_metadata` and the local files no other job's snapshot references (orphans not counted). */
	exclusiveBytes: number;
	/**
	 * The newest checkpoint verified restorable: complete (no missing, damaged or unreadable file)
	 * and with every reference inside the scanned tree; `null` when none.
	 */
	newestRestorableCheckpoint: {path: string; id: number} | null;
	/** Other jobs referenced by this job's checkpoints (sorted). */
	referencesJobs: string[];
	/** The why of its storage; absent for the group of snapshots outside job directories. */
	storage?: ReportJobStorage;
}

/**
 * What a job directory holds and who needs it (`analysis/storage.ts`). Sizes are bytes on disk;
 * a part's share of the directory is `bytes / storage.bytes`.
 */
export interface ReportJobStorage {
	/** Scanned files below the job directory and their bytes. */
	files: number;
	bytes: number;
	/**
	 * Every part, in this order: `checkpoints` (`chk-<n>` directories), `shared-referenced` (in
	 * `shared/`, not an orphan: referenced, possibly in progress, or kept because fcx cannot know),
	 * `shared-orphaned` (orphans in `shared/`), `taskowned`, `other`.
	 */
	parts: {part: StoragePart; bytes: number; files: number}[];
	/** Bytes below the directory that another job's snapshots reference: deleting the directory breaks them. */
	neededByOthersBytes: number;
	/** `bytes - neededByOthersBytes`: what only this job holds. */
	onlyThisJobBytes: number;
	/** Who needs `neededByOthersBytes` (`jobId` null: a snapshot outside job directories, `path` its directory), most bytes first. */
	neededBy: {path: string; jobId: string | null; files: number; bytes: number}[];
	/** Snapshots elsewhere whose references are unknown (unreadable, legacy, unlisted): they may need more. */
	unknownReferrers: number;
}

/** One run of `fcx clean` kept in a quarantine. */
export interface ReportQuarantineRun {
	path: string;
	/** Its timestamp name, e.g. `2026-11-22T04-40-00-000Z`. */
	name: string;
	files: number;
	bytes: number;
	/** When it ran (ISO-8601), `null` when unknown. */
	time: string | null;
	/** The restore script in the quarantine, `null` when there is none (a store's run: beside the log where fcx clean ran). */
	restoreScript: string | null;
	log: string | null;
	/** Shell commands, for review: `empty` deletes the run for good, `restore` moves it back (`null`: see `restoreNote`). */
	commands: {empty: string; restore: string | null; restoreNote?: string};
}

/** A `.fcx-quarantine` directory below a root: its bytes are held until it is emptied. */
export interface ReportQuarantine {
	path: string;
	files: number;
	bytes: number;
	/** Newest and oldest run (ISO-8601), `null` when it holds none. */
	newest: string | null;
	oldest: string | null;
	runs: ReportQuarantineRun[];
	/** Set when it could not be read whole. */
	error?: string;
}

/** An orphan, or (with `possiblyInProgress`) something that may still be written. */
export interface ReportOrphan {
	path: string;
	type: 'file' | 'directory';
	reason: OrphanReason;
	description: string;
	bytes: number;
	files: number;
	jobId: string | null;
	time: string | null;
	/** `true`: younger than `--min-age`; not an orphan yet, not counted in `reclaimableBytes`. */
	possiblyInProgress: boolean;
}

/** A referenced file that does not exist locally. */
export interface ReportMissing {
	path: string;
	uri: string;
	/** Checkpoint directories that reference it (sorted). */
	referencedBy: string[];
}

/** A referenced file shorter than what the checkpoints that reference it need (truncated). */
export interface ReportDamaged {
	path: string;
	uri: string;
	/** The most bytes one of `referencedBy` needs. */
	expectedBytes: number;
	/** Its size on disk. */
	actualBytes: number;
	/** Checkpoint directories whose references need more than `actualBytes` (sorted); their status is `damaged`. */
	referencedBy: string[];
}

/** A problem met while scanning or loading: `code` is stable for scripts, `message` is for people. */
export interface ReportWarning {
	code: WarningCode;
	path: string;
	message: string;
}

/**
 * The JSON report. Every array is sorted by path ({@link comparePaths}: `chk-9` before `chk-10`, job
 * ids as text) except `roots` and `mappings`, which keep the order given on the command line.
 */
export interface ReportJson {
	tool: {name: string; version?: string};
	/** When the analysis was made (ISO-8601). */
	generatedAt: string;
	roots: string[];
	mappings: {remote: string; local: string; inferred: boolean}[];
	/** `--min-age` in ms: younger files are possibly in progress. */
	minAgeMs: number;
	summary: {
		jobs: number;
		checkpoints: number;
		savepoints: number;
		/** Orphans, without the possibly-in-progress entries. */
		orphans: number;
		/** Bytes of the orphans, without the possibly-in-progress entries. */
		orphanBytes: number;
		/** Bytes freed by deleting all orphans (nested orphans counted once; in-progress excluded). */
		reclaimableBytes: number;
		/** Entries that may still be written (younger than `--min-age`). */
		possiblyInProgress: number;
		possiblyInProgressBytes: number;
		/** Missing files (distinct). */
		missing: number;
		/** Checkpoints with at least one missing file. */
		checkpointsWithMissingFiles: number;
		/** Damaged (truncated) files (distinct). */
		damaged: number;
		/** Checkpoints with at least one damaged file. */
		checkpointsWithDamagedFiles: number;
		warnings: number;
		files: number;
		bytesOnDisk: number;
		/** Bytes in `.fcx-quarantine` directories (not counted in `bytesOnDisk`): held until emptied. */
		quarantinedBytes: number;
	};
	jobs: ReportJob[];
	checkpoints: ReportCheckpoint[];
	orphans: ReportOrphan[];
	missing: ReportMissing[];
	damaged: ReportDamaged[];
	warnings: ReportWarning[];
	/** Restore lineage: "job X was restored from snapshot S", with the evidence (sorted by the restored job's path). */
	lineage: LineageEdge[];
	/** The `.fcx-quarantine` directories below the roots (sorted by path); never orphans, never planned. */
	quarantines: ReportQuarantine[];
}

/** Options of {@link reportToJson}. */
export interface ReportJsonOptions {
	/** Tool version for `tool.version` (the CLI passes package.json's version). */
	version?: string;
	/** List every referenced file of every checkpoint (`files`); default: only the dependencies. */
	files?: boolean;
}
