/**
 * The files view: the files a checkpoint references in one storage directory (up to 100,000
 * rows, built in steps).
 */
import type {OperatorSummary, ResolvedFile} from '../../analysis/types.js';
import {baseName} from '../../tree/layout.js';
import {formatBytes, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, DetailLine, ListModel, Row, ViewRef} from './types.js';
import {mapInSteps} from './steps.js';
import {type AnalysisIndex, relativeToRoot, referencingCheckpoints} from './analysis-index.js';

const FILE_COLUMNS: Column[] = [
	// A UUID name is 36 characters: the RocksDB name and the operator give way before it is cut.
	{title: 'File', width: 'flex', minWidth: 12, idealWidth: 36, cut: 'path'},
	{title: 'Size', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Status', width: 7},
	{title: 'Handle', width: 8},
	{title: 'Refs', width: 5, align: 'right'},
	{title: 'RocksDB', width: 15, optional: true},
	{title: 'Operator', width: 16, optional: true},
];

/**
 * How the files view names operators: by name, else uid, else the first 8 hex digits of the id
 * (one lookup per checkpoint, shared by its rows).
 */
type OperatorNames = ReadonlyMap<string, OperatorSummary>;

/** The operator of a file's first reference in words: `name (uid u, id 0a1b2c3d…)`, as much as the metadata tells. */
function operatorText(operators: OperatorNames, operatorId: string, long: boolean): string {
	const op = operators.get(operatorId);
	const short = `${operatorId.slice(0, 8)}…`;
	if (!long) return op?.name ?? op?.uid ?? short;
	const known = [op?.uid ? `uid ${op.uid}` : null, `id ${operatorId}`].filter((part) => part !== null).join(', ');
	return op?.name ? `${op.name} (${known})` : known;
}

/** A file's status; `exists` is `null` both outside the tree (no local path) and below a directory that could not be read. */
function fileStatus(file: ResolvedFile): 'exists' | 'missing' | 'outside' | 'could not be read' | 'damaged' {
	if (file.exists === null) return file.path === null ? 'outside' : 'could not be read';
	return file.damaged === true ? 'damaged' : file.exists ? 'exists' : 'missing';
}

/** The marks of a missing or damaged file's row (one shared array: rows are many). */
export const MISSING_MARKS: Mark[] = ['missing'];
const OUTSIDE_MARKS: Mark[] = ['outside'];
const WARNING_MARKS: Mark[] = ['warning'];
const NO_MARKS: Mark[] = [];

/**
 * A file row. A shared directory can list 100,000 files: only the key and marks are made up
 * front; cells, sort keys and details are computed on first use and kept.
 */
class FileRow implements Row {
	readonly key: string;
	readonly marks: Mark[];
	private readonly index: AnalysisIndex;
	private readonly file: ResolvedFile;
	private readonly operators: OperatorNames;
	private cellTexts: string[] | undefined;
	private openView: ViewRef | undefined;
	private name: string | undefined;

	constructor(index: AnalysisIndex, file: ResolvedFile, position: number, operators: OperatorNames) {
		this.index = index;
		this.file = file;
		this.operators = operators;
		// Unique within the view (a path may be listed once per spelling); short: made flat, no concatenation kept.
		this.key = `file:${position}`;
		const status = fileStatus(file);
		this.marks =
			status === 'missing' || status === 'damaged'
				? MISSING_MARKS
				: status === 'outside'
					? OUTSIDE_MARKS
					: status === 'could not be read'
						? WARNING_MARKS
						: NO_MARKS;
	}

	/** The checkpoints that reference the file; `null` for a file with no local path (outside every scanned root: not known here). */
	private get references(): number | null {
		return this.file.path === null ? null : referencingCheckpoints(this.index, this.file.path).length;
	}

	private get scanned() {
		return this.file.path === null ? undefined : this.index.analysis.scannedFiles.get(this.file.path);
	}

	get cells(): string[] {
		return (this.cellTexts ??= this.searchCells());
	}

	searchCells(): string[] {
		const {file} = this;
		return (
			this.cellTexts ?? [
				this.sortName || file.uri,
				formatBytes(this.sortSize),
				fileStatus(file),
				file.handle,
				this.references === null ? '-' : formatCount(this.references),
				file.reference.localPath ?? '-',
				operatorText(this.operators, file.reference.operatorId, false),
			]
		);
	}

	get sortName(): string {
		return (this.name ??= this.file.name ?? baseName(this.file.path ?? this.file.uri));
	}

	get sortSize(): number {
		return this.file.actualSize ?? this.file.size;
	}

	get sortTime(): number {
		return this.scanned?.mtimeMs ?? 0;
	}

	get open(): ViewRef | undefined {
		return this.file.path === null ? undefined : (this.openView ??= {type: 'referencedBy', path: this.file.path});
	}

	get refPath(): string | undefined {
		return this.file.path ?? undefined;
	}

	details(): DetailLine[] {
		const {file} = this;
		const status = fileStatus(file);
		const scanned = this.scanned;
		const lines: DetailLine[] = [
			{label: 'URI', value: file.uri},
			{label: 'Local path', value: file.path ?? 'outside the scanned tree', mark: file.path === null ? 'outside' : undefined},
			{label: 'Status', value: status, mark: this.marks[0]},
			{label: 'Size', value: `${formatBytes(file.size)} in metadata${file.actualSize === undefined ? '' : `, ${formatBytes(file.actualSize)} on disk`}`},
			{label: 'Modified', value: scanned ? formatTime(scanned.mtimeMs) : '-'},
			{label: 'Handle', value: file.handle},
			{
				label: 'References',
				value:
					this.references === null
						? `${file.references} in this checkpoint; which others need it is not known (outside the scanned tree)`
						: `${file.references} in this checkpoint, ${formatCountOf(this.references, 'checkpoint')} need${this.references === 1 ? 's' : ''} it (r)`,
			},
			{
				label: 'First use',
				value: `operator ${file.reference.operatorId.slice(0, 8)}… subtask ${file.reference.subtaskIndex ?? '-'} ${file.reference.slot}/${file.reference.role}${file.reference.localPath ? ` (${file.reference.localPath})` : ''}`,
			},
			{label: 'Operator', value: operatorText(this.operators, file.reference.operatorId, true)},
		];
		if (file.reference.localPath !== undefined) {
			// The key of the file in the incremental handle's shared / private state map: its name in the RocksDB instance.
			lines.push({label: 'RocksDB name', value: `${file.reference.localPath} (${file.reference.role} state of an incremental checkpoint)`});
		}
		if (file.note) {
			lines.push({label: 'Note', value: file.note, mark: 'warning'});
		}

		return lines;
	}
}

/** The files view of one dependency of a checkpoint, in steps (a directory can hold 100,000 files). */
export function* buildFiles(index: AnalysisIndex, checkpointPath: string, dependencyPath: string): Generator<void, ListModel> {
	const checkpoint = index.checkpointByPath.get(checkpointPath);
	const dependency = checkpoint?.dependencies.find((candidate) => candidate.path === dependencyPath);
	const empty = dependency ? 'No files referenced in this directory.' : `Unknown directory ${dependencyPath}.`;
	const operators = new Map((checkpoint?.operators ?? []).map((op) => [op.operatorId, op]));
	const rows = yield* mapInSteps(dependency?.fileList ?? [], (file, position) => new FileRow(index, file, position, operators));
	return {
		crumb: `${baseName(dependencyPath) || dependencyPath}/`,
		empty,
		summary: dependency
			? `${dependency.kind} · ${dependency.local ? relativeToRoot(index.analysis.roots, dependency.path) : dependency.path} · ${formatCount(dependency.files)} files · ${formatBytes(dependency.bytes)}${dependency.missing > 0 ? ` · ✗ ${dependency.missing} missing` : ''}${dependency.crossJob ? ` · ↗ job ${dependency.jobId ?? '?'}` : ''}`
			: undefined,
		sections: [{id: 'files', columns: FILE_COLUMNS, rows, empty}],
	};
}
