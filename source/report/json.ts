/**
 * Machine-readable report of an {@link Analysis} (`fcx --json`): a plain object that
 * `JSON.stringify` can always serialise (no bigint, no Map, no Uint8Array) and whose arrays are
 * sorted by path, so that two reports of the same tree diff cleanly.
 */
import type {
	Analysis,
	CheckpointAnalysis,
	CheckpointStatus,
	Dependency,
	JobSummary,
	LineageEdge,
	Orphan,
	OperatorSummary,
	OrphanReason,
	ResolvedFile,
	StorageDirectoryKind,
	WarningCode,
} from '../analysis/types.js';
import {countJobs, newestRestorableCheckpoint} from '../analysis/jobs.js';
import {inferLineage} from '../analysis/lineage.js';
import type {CheckpointProperties, ReferenceHandle} from '../metadata/types.js';
import {DirectorySet, directoryAbove} from '../tree/layout.js';
import {comparePaths, isoTime, sortByPath, sortByPathInPlace, sortPaths} from '../text/index.js';

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
	};
	jobs: ReportJob[];
	checkpoints: ReportCheckpoint[];
	orphans: ReportOrphan[];
	missing: ReportMissing[];
	damaged: ReportDamaged[];
	warnings: ReportWarning[];
	/** Restore lineage: "job X was restored from snapshot S", with the evidence (sorted by the restored job's path). */
	lineage: LineageEdge[];
}

/** Options of {@link reportToJson}. */
export interface ReportJsonOptions {
	/** Tool version for `tool.version` (the CLI passes package.json's version). */
	version?: string;
	/** List every referenced file of every checkpoint (`files`); default: only the dependencies. */
	files?: boolean;
}

/** Summarise `CheckpointProperties` for the report; `null` when absent. */
export function summariseProperties(properties: CheckpointProperties | null | undefined): ReportProperties | null {
	if (!properties) {
		return null;
	}

	const type = properties.checkpointType;
	const summary: ReportProperties = {
		snapshot: type ? type.kind : null,
		type: type ? type.name : null,
		forced: properties.forced,
		discardSubsumed: properties.discardSubsumed,
		discardFinished: properties.discardFinished,
		discardCancelled: properties.discardCancelled,
		discardFailed: properties.discardFailed,
		discardSuspended: properties.discardSuspended,
		unclaimed: properties.unclaimed ?? null,
	};
	if (type?.kind === 'checkpoint') {
		summary.sharingFilesStrategy = type.sharingFilesStrategy;
	} else if (type?.kind === 'savepoint') {
		summary.postCheckpointAction = type.postCheckpointAction;
		summary.formatType = type.formatType;
	}

	return summary;
}

/** A JSON-safe number: bigint and non-finite values would break `JSON.stringify` or lose meaning. */
function num(value: number | bigint): number {
	return typeof value === 'bigint' ? Number(value) : value;
}

function fileToJson(file: ResolvedFile): ReportFile {
	const out: ReportFile = {
		uri: file.uri,
		path: file.path,
		handle: file.handle,
		size: num(file.size),
		exists: file.exists,
		references: file.references,
		operatorId: file.reference.operatorId,
		subtaskIndex: file.reference.subtaskIndex,
		slot: file.reference.slot,
	};
	if (file.reference.localPath !== undefined) {
		out.localPath = file.reference.localPath;
	}

	if (file.actualSize !== undefined) {
		out.actualSize = file.actualSize;
	}

	if (file.neededBytes !== undefined) {
		out.neededBytes = file.neededBytes;
	}

	if (file.damaged === true) {
		out.damaged = true;
	}

	if (file.note !== undefined) {
		out.note = file.note;
	}

	return out;
}

function dependencyToJson(dependency: Dependency): ReportDependency {
	return {
		path: dependency.path,
		local: dependency.local,
		kind: dependency.kind,
		jobId: dependency.jobId,
		crossJob: dependency.crossJob,
		files: dependency.files,
		bytes: dependency.bytes,
		missing: dependency.missing,
	};
}

/** A checkpoint without `files` and `dependencies` (the keys that come last). */
type ReportCheckpointHead = Omit<ReportCheckpoint, 'files' | 'dependencies'>;

function checkpointHeadToJson(checkpoint: CheckpointAnalysis): ReportCheckpointHead {
	const out: ReportCheckpointHead = {
		path: checkpoint.path,
		metadataPath: checkpoint.metadataPath,
		jobId: checkpoint.jobId,
		kind: checkpoint.kind,
		checkpointId: checkpoint.checkpointId,
		formatVersion: checkpoint.formatVersion,
		status: checkpoint.status,
		time: isoTime(checkpoint.timeMs),
		...(checkpoint.error === undefined ? {} : {error: checkpoint.error}),
		...(checkpoint.approximateReferences === undefined
			? {}
			: {approximate: {notAuthoritative: true as const, strings: checkpoint.approximateReferences.map((r) => ({...r}))}}),
		properties: summariseProperties(checkpoint.properties),
		sizes: {...checkpoint.sizes},
		missing: checkpoint.missing,
		damaged: checkpoint.damaged,
		outside: checkpoint.outside,
		operators: checkpoint.operators.map((operator) => ({
			operatorId: operator.operatorId,
			name: operator.name,
			uid: operator.uid,
			parallelism: operator.parallelism,
			maxParallelism: operator.maxParallelism,
			subtasks: operator.subtasks,
			finishedSubtasks: operator.finishedSubtasks,
			fullyFinished: operator.fullyFinished,
			stateKinds: [...operator.stateKinds],
			stateNames: [...operator.stateNames],
			bytes: operator.bytes,
		})),
	};
	return out;
}

function checkpointToJson(checkpoint: CheckpointAnalysis, withFiles: boolean): ReportCheckpoint {
	return {
		...checkpointHeadToJson(checkpoint),
		...(withFiles ? {files: sortByPath(checkpoint.files, (file) => file.path ?? file.uri).map(fileToJson)} : {}),
		dependencies: sortByPath(checkpoint.dependencies, (dependency) => dependency.path).map(dependencyToJson),
	};
}

function jobToJson(job: JobSummary): ReportJob {
	const restorable = newestRestorableCheckpoint(job);
	return {
		jobId: job.jobId,
		label: job.label,
		path: job.path,
		checkpoints: job.checkpoints.length,
		latestCheckpointId: job.latestCheckpointId,
		bytesOnDisk: job.bytesOnDisk,
		orphans: job.orphans,
		orphanBytes: job.orphanBytes,
		missing: job.missing,
		damaged: job.damaged,
		exclusiveBytes: job.exclusiveBytes,
		newestRestorableCheckpoint: restorable === undefined ? null : {path: restorable.path, id: restorable.checkpointId!},
		referencesJobs: [...job.referencesJobs].sort(comparePaths),
	};
}

function orphanToJson(orphan: Orphan): ReportOrphan {
	return {
		path: orphan.path,
		type: orphan.type,
		reason: orphan.reason,
		description: orphan.description,
		bytes: orphan.bytes,
		files: orphan.files,
		jobId: orphan.jobId,
		time: isoTime(orphan.timeMs),
		possiblyInProgress: orphan.possiblyInProgress,
	};
}

/**
 * Bytes freed by deleting every orphan that is not possibly in progress. An orphan nested inside
 * another orphan directory (e.g. a file inside an unreferenced directory) is counted once.
 */
export function reclaimableBytes(orphans: readonly Orphan[]): number {
	const counted = orphans.filter((orphan) => !orphan.possiblyInProgress);
	const directories = new DirectorySet(counted.filter((orphan) => orphan.type === 'directory').map((orphan) => orphan.path));
	let total = 0;
	for (const orphan of counted) {
		const above = directoryAbove(orphan.path);
		if (above !== null && directories.contains(above)) {
			continue;
		}

		total += orphan.bytes;
	}

	return total;
}

/** The report with `checkpoints` left empty, and the checkpoints in report order. */
function reportParts(analysis: Analysis, options: ReportJsonOptions): {report: ReportJson; checkpoints: CheckpointAnalysis[]} {
	const orphans = sortByPath(analysis.orphans, (orphan) => orphan.path);
	const real = orphans.filter((orphan) => !orphan.possiblyInProgress);
	const inProgress = orphans.filter((orphan) => orphan.possiblyInProgress);
	const checkpoints = sortByPath(analysis.checkpoints, (checkpoint) => checkpoint.path);
	const tool: ReportJson['tool'] = {name: TOOL_NAME};
	if (options.version !== undefined) {
		tool.version = options.version;
	}

	const report: ReportJson = {
		tool,
		generatedAt: isoTime(analysis.analysedAtMs) ?? new Date(0).toISOString(),
		roots: [...analysis.roots],
		mappings: analysis.mappings.map((mapping) => ({remote: mapping.remote, local: mapping.local, inferred: mapping.inferred})),
		minAgeMs: analysis.minAgeMs,
		summary: {
			jobs: countJobs(analysis),
			checkpoints: analysis.totals.checkpoints,
			savepoints: analysis.totals.savepoints,
			orphans: real.length,
			orphanBytes: real.reduce((sum, orphan) => sum + orphan.bytes, 0),
			reclaimableBytes: reclaimableBytes(real),
			possiblyInProgress: inProgress.length,
			possiblyInProgressBytes: inProgress.reduce((sum, orphan) => sum + orphan.bytes, 0),
			missing: analysis.missing.length,
			checkpointsWithMissingFiles: analysis.checkpoints.filter((checkpoint) => checkpoint.missing > 0 || checkpoint.status === 'missing-files').length,
			damaged: analysis.damaged.length,
			checkpointsWithDamagedFiles: analysis.checkpoints.filter((checkpoint) => checkpoint.damaged > 0).length,
			warnings: analysis.warnings.length,
			files: analysis.totals.files,
			bytesOnDisk: analysis.totals.bytesOnDisk,
		},
		jobs: sortByPath(analysis.jobs, (job) => job.path).map(jobToJson),
		checkpoints: [],
		orphans: orphans.map(orphanToJson),
		missing: sortByPath(analysis.missing, (missing) => missing.path).map((missing) => ({
			path: missing.path,
			uri: missing.uri,
			referencedBy: sortPaths([...missing.referencedBy]),
		})),
		damaged: sortByPath(analysis.damaged, (damaged) => damaged.path).map((damaged) => ({
			path: damaged.path,
			uri: damaged.uri,
			expectedBytes: damaged.expectedBytes,
			actualBytes: damaged.actualBytes,
			referencedBy: sortPaths([...damaged.referencedBy]),
		})),
		// Sorted by (path, message): a stable sort by path of the warnings sorted by message.
		warnings: sortByPathInPlace(sortByPath(analysis.warnings, (warning) => warning.message), (warning) => warning.path).map((warning) => ({
			code: warning.code,
			path: warning.path,
			message: warning.message,
		})),
		lineage: inferLineage(analysis),
	};
	return {report, checkpoints};
}

/**
 * Build the JSON report of an analysis. Pure: the same analysis gives the same object
 * (`generatedAt` is the analysis time, not the current time).
 */
export function reportToJson(analysis: Analysis, options: ReportJsonOptions = {}): ReportJson {
	const {report, checkpoints} = reportParts(analysis, options);
	report.checkpoints = checkpoints.map((checkpoint) => checkpointToJson(checkpoint, options.files === true));
	return report;
}

/** `JSON.stringify` of a string, without the call for the common case (nothing to escape). */
function jsonString(value: string): string {
	for (let i = 0; i < value.length; i++) {
		const c = value.charCodeAt(i);
		// Control characters, `"`, `\\` and (lone) surrogates are escaped by JSON.stringify.
		if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd8_00 && c <= 0xdf_ff)) {
			return JSON.stringify(value);
		}
	}

	return `"${value}"`;
}

/** `JSON.stringify` of a scalar (string, number, boolean, null). */
function jsonScalar(value: string | number | boolean | null): string {
	if (typeof value === 'string') {
		return jsonString(value);
	}

	if (typeof value === 'number') {
		return Number.isFinite(value) ? String(value) : 'null';
	}

	return JSON.stringify(value);
}

/** `JSON.stringify(value, null, 2)` nested at `indent` (the text of the first line is not indented). */
function jsonNested(value: unknown, indent: string): string {
	return JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);
}

const FILE_INDENT = ' '.repeat(8);
const FILE_FIELD_INDENT = ' '.repeat(10);
const FILE_FIELD = `,\n${FILE_FIELD_INDENT}"`;

/** `,\n          "name": value` as `JSON.stringify` writes a field of a file entry; nothing when `value` is undefined. */
function optionalFileField(name: string, value: string | number | null | undefined): string {
	return value === undefined ? '' : `${FILE_FIELD}${name}": ${jsonScalar(value)}`;
}

/** One element of a checkpoint's `files`, exactly as `JSON.stringify(report, null, 2)` writes it. */
function fileText(file: ResolvedFile): string {
	const reference = file.reference;
	let out = `${FILE_INDENT}{\n${FILE_FIELD_INDENT}"uri": ${jsonString(file.uri)}${FILE_FIELD}path": ${file.path === null ? 'null' : jsonString(file.path)}${FILE_FIELD}handle": ${jsonString(file.handle)}${FILE_FIELD}size": ${jsonScalar(num(file.size))}${FILE_FIELD}exists": ${file.exists === null ? 'null' : file.exists ? 'true' : 'false'}${FILE_FIELD}references": ${jsonScalar(file.references)}`;
	out += optionalFileField('operatorId', reference.operatorId);
	out += optionalFileField('subtaskIndex', reference.subtaskIndex);
	out += optionalFileField('slot', reference.slot);
	out += optionalFileField('localPath', reference.localPath);
	out += optionalFileField('actualSize', file.actualSize);
	out += optionalFileField('neededBytes', file.neededBytes);
	if (file.damaged === true) {
		out += `${FILE_FIELD}damaged": true`;
	}

	out += optionalFileField('note', file.note);
	return `${out}\n${FILE_INDENT}}`;
}

/**
 * The rank of every resolved file of `checkpoints` in the order of `sortByPath` by `path ?? uri`
 * (files with the same key share a rank). Incremental checkpoints share most of their file
 * objects, so sorting them once and each checkpoint's list by rank is much cheaper than sorting
 * every list by path.
 */
function fileRanks(checkpoints: readonly CheckpointAnalysis[]): Map<ResolvedFile, number> {
	const distinct = new Set<ResolvedFile>();
	for (const checkpoint of checkpoints) {
		for (const file of checkpoint.files) {
			distinct.add(file);
		}
	}

	const sorted = sortByPathInPlace([...distinct], (file) => file.path ?? file.uri);
	distinct.clear();
	const ranks = new Map<ResolvedFile, number>();
	let rank = 0;
	let previous: string | undefined;
	for (const file of sorted) {
		const key = file.path ?? file.uri;
		if (key !== previous) {
			rank++;
			previous = key;
		}

		ranks.set(file, rank);
	}

	return ranks;
}

/** A checkpoint's files in the order of `sortByPath` by `path ?? uri`, from {@link fileRanks} (a stable sort). */
function sortFilesByRank(files: readonly ResolvedFile[], ranks: ReadonlyMap<ResolvedFile, number>): ResolvedFile[] {
	const n = files.length;
	if (n >= 4_194_304) {
		return sortByPath(files, (file) => file.path ?? file.uri);
	}

	const keys = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		// Rank in the high part, position in the low part: distinct keys, so the order is stable.
		keys[i] = ranks.get(files[i])! * 4_194_304 + i;
	}

	keys.sort();
	const out = new Array<ResolvedFile>(n);
	for (let i = 0; i < n; i++) {
		out[i] = files[keys[i] % 4_194_304];
	}

	return out;
}

/** One element of `checkpoints` (at 4 spaces), exactly as `JSON.stringify(report, null, 2)` writes it. */
function checkpointText(checkpoint: CheckpointAnalysis, ranks: ReadonlyMap<ResolvedFile, number> | undefined, emit: (text: string) => void): void {
	const head = `    ${jsonNested(checkpointHeadToJson(checkpoint), '    ')}`;
	emit(head.slice(0, head.length - '\n    }'.length));
	if (ranks !== undefined) {
		emit(',\n      "files": ');
		const files = sortFilesByRank(checkpoint.files, ranks);
		if (files.length === 0) {
			emit('[]');
		} else {
			emit('[\n');
			for (let i = 0; i < files.length; i++) {
				emit(i === 0 ? fileText(files[i]) : `,\n${fileText(files[i])}`);
			}

			emit('\n      ]');
		}
	}

	const dependencies = sortByPath(checkpoint.dependencies, (dependency) => dependency.path).map(dependencyToJson);
	emit(`,\n      "dependencies": ${jsonNested(dependencies, '      ')}\n    }`);
}

/** Size of the chunks {@link reportJsonChunks} yields (UTF-16 code units, about). */
const CHUNK_SIZE = 1 << 20;

/**
 * The JSON report as text, in chunks of about 1 MB: exactly `JSON.stringify(reportToJson(analysis,
 * options), null, 2)` followed by a newline, without ever holding the whole text (or the whole
 * report object) in memory. The checkpoints, the bulk of a big report, are rendered one by one.
 */
export function* reportJsonChunks(analysis: Analysis, options: ReportJsonOptions = {}): Generator<string, void, undefined> {
	const {report, checkpoints} = reportParts(analysis, options);
	let buffer = '{\n';
	const emit = (text: string): void => {
		buffer += text;
	};

	let first = true;
	for (const [key, value] of Object.entries(report)) {
		if (value === undefined) {
			continue;
		}

		emit(`${first ? '' : ',\n'}  ${JSON.stringify(key)}: `);
		first = false;
		if (key !== 'checkpoints') {
			emit(jsonNested(value, '  '));
			continue;
		}

		if (checkpoints.length === 0) {
			emit('[]');
			continue;
		}

		emit('[\n');
		const ranks = options.files === true ? fileRanks(checkpoints) : undefined;
		for (let i = 0; i < checkpoints.length; i++) {
			if (i > 0) {
				emit(',\n');
			}

			checkpointText(checkpoints[i], ranks, emit);
			if (buffer.length >= CHUNK_SIZE) {
				yield buffer;
				buffer = '';
			}
		}

		emit('\n  ]');
	}

	yield `${buffer}\n}\n`;
}
