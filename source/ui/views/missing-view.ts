/**
 * The missing-files view: referenced files that are missing, and damaged files (shorter than
 * their references need).
 */
import type {DamagedFile, MissingFile} from '../../analysis/types.js';
import {formatBytes, formatCount, formatCountOf} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {DetailLine, ListModel, Row, Section, ViewRef} from './types.js';
import {type AnalysisIndex, relativeToRoot, referencingCheckpoints} from './analysis-index.js';
import {MISSING_MARKS} from './files-view.js';

/** A missing-file row: cells, sort name and details are computed on first use and kept. */
class MissingRow implements Row {
	readonly key: string;
	readonly marks: Mark[] = MISSING_MARKS;
	readonly sortTime = 0;
	readonly open: ViewRef;
	private readonly index: AnalysisIndex;
	private readonly missing: MissingFile;
	private cellTexts: string[] | undefined;

	constructor(index: AnalysisIndex, missing: MissingFile) {
		this.index = index;
		this.missing = missing;
		// The path itself (unique in the missing-files view; see OrphanRow's key).
		this.key = missing.path;
		this.open = {type: 'referencedBy', path: missing.path};
	}

	private get needed(): readonly string[] {
		return referencingCheckpoints(this.index, this.missing.path);
	}

	get cells(): string[] {
		return (this.cellTexts ??= [relativeToRoot(this.index.analysis.roots, this.missing.path), formatCount(this.needed.length)]);
	}

	get sortName(): string {
		return this.missing.path;
	}

	get sortSize(): number {
		return this.needed.length;
	}

	get refPath(): string {
		return this.missing.path;
	}

	details(): DetailLine[] {
		const {missing} = this;
		const needed = this.needed;
		return [
			{label: 'Path', value: missing.path, mark: 'missing'},
			{label: 'URI', value: missing.uri},
			{label: 'Needed by', value: `${formatCountOf(needed.length, 'checkpoint')} (⏎ or r)`},
			...needed.slice(0, 5).map((path) => ({label: '', value: relativeToRoot(this.index.analysis.roots, path)})),
		];
	}
}

/** A damaged-file row (few: built whole). */
function damagedRow(index: AnalysisIndex, damaged: DamagedFile): Row {
	const {roots} = index.analysis;
	return {
		key: `damaged:${damaged.path}`,
		cells: [
			relativeToRoot(roots, damaged.path),
			formatBytes(damaged.actualBytes),
			formatBytes(damaged.expectedBytes),
			formatCount(damaged.referencedBy.length),
		],
		marks: MISSING_MARKS,
		sortName: damaged.path,
		sortSize: damaged.expectedBytes - damaged.actualBytes,
		sortTime: 0,
		open: {type: 'referencedBy', path: damaged.path},
		refPath: damaged.path,
		details: () => [
			{label: 'Path', value: damaged.path, mark: 'missing'},
			{label: 'URI', value: damaged.uri},
			{label: 'Damaged', value: `${formatBytes(damaged.actualBytes)} on disk, ${formatBytes(damaged.expectedBytes)} needed (truncated)`, mark: 'missing'},
			{label: 'Needed by', value: `${formatCountOf(damaged.referencedBy.length, 'checkpoint')}, status damaged (⏎ or r)`},
			...damaged.referencedBy.slice(0, 5).map((path) => ({label: '', value: relativeToRoot(roots, path)})),
		],
	};
}

/** Missing files, and (when there are some) damaged files: shorter than their references need. */
export function buildMissing(index: AnalysisIndex): ListModel {
	const empty = 'No missing files: every referenced local file exists.';
	const sections: Section[] = [
		{
			id: 'missing',
			title: 'Missing files',
			columns: [
				{title: 'Missing file', width: 'flex', minWidth: 12, cut: 'path'},
				{title: 'Needed by', width: 9, align: 'right', sortKey: 'size'},
			],
			rows: index.analysis.missing.map((missing) => new MissingRow(index, missing)),
			empty,
		},
	];
	if (index.analysis.damaged.length > 0) {
		sections.push({
			id: 'damaged',
			title: 'Damaged files (shorter than the metadata says)',
			columns: [
				{title: 'Damaged file', width: 'flex', minWidth: 12, cut: 'path'},
				{title: 'On disk', width: 9, align: 'right'},
				{title: 'Needed', width: 9, align: 'right'},
				{title: 'Needed by', width: 9, align: 'right'},
			],
			rows: index.analysis.damaged.map((damaged) => damagedRow(index, damaged)),
			empty: '',
		});
	}

	return {crumb: 'Missing files', empty, sections};
}
