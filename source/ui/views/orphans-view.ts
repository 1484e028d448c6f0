/**
 * The orphans view: what the analysis found deletable (up to 100,000 rows, built in steps).
 */
import type {Orphan} from '../../analysis/types.js';
import {formatAge, formatBytes, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, DetailLine, ImpactTarget, ListModel, Row} from './types.js';
import {mapInSteps} from './steps.js';
import {type AnalysisIndex, relativeToRoot, reasonLabel} from './analysis-index.js';
import {orphanDirectory} from './orphan-dirs-view.js';

const ORPHAN_COLUMNS: Column[] = [
	{title: 'Path', width: 'flex', minWidth: 12, cut: 'path'},
	{title: 'Type', width: 4},
	{title: 'Reason', width: 16},
	{title: 'Size', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Files', width: 6, align: 'right'},
	{title: 'Age', width: 4, align: 'right', sortKey: 'time'},
];

const ORPHAN_MARKS: Mark[] = ['orphan'];
const IN_PROGRESS_MARKS: Mark[] = ['in-progress'];

/**
 * An orphan row. The orphans view can hold 100,000 rows: only the key and marks are made up
 * front; cells, sort name, impact and details are computed on first use and kept.
 */
class OrphanRow implements Row {
	readonly key: string;
	readonly marks: Mark[];
	private readonly index: AnalysisIndex;
	private readonly source: Orphan;
	private cellTexts: string[] | undefined;
	private impactTarget: ImpactTarget | undefined;

	constructor(index: AnalysisIndex, orphan: Orphan) {
		this.index = index;
		this.source = orphan;
		// The path itself (unique in the orphans view): a prefixed copy would be a concatenation per
		// row, which V8 copies whole when the cursor's key is searched among 100,000.
		this.key = orphan.path;
		this.marks = orphan.possiblyInProgress ? IN_PROGRESS_MARKS : ORPHAN_MARKS;
	}

	get cells(): string[] {
		return (this.cellTexts ??= this.searchCells());
	}

	searchCells(): string[] {
		if (this.cellTexts !== undefined) {
			return this.cellTexts;
		}

		const {analysis} = this.index;
		const orphan = this.source;
		return [
			relativeToRoot(analysis.roots, orphan.path),
			orphan.type === 'directory' ? 'dir' : 'file',
			reasonLabel(orphan.reason),
			formatBytes(orphan.bytes),
			formatCount(orphan.files),
			formatAge(analysis.analysedAtMs - orphan.timeMs),
		];
	}

	get sortName(): string {
		return this.source.path;
	}

	get sortSize(): number {
		return this.source.bytes;
	}

	get sortTime(): number {
		return this.source.timeMs;
	}

	get refPath(): string {
		return this.source.path;
	}

	get impact(): ImpactTarget {
		return (this.impactTarget ??= {targets: [this.source.path], label: `orphan ${this.cells[0]}`});
	}

	get open(): Row['open'] {
		return this.source.type === 'directory' ? {type: 'directory', path: this.source.path} : undefined;
	}

	/** The orphan itself (it has the entry's fields): no object per row when the filter's total sums 100,000 rows' bytes. */
	get orphan(): Row['orphan'] {
		return this.source;
	}

	details(): DetailLine[] {
		const {analysis} = this.index;
		const orphan = this.source;
		return [
			{label: 'Path', value: orphan.path},
			{label: 'Reason', value: orphan.description},
			{
				label: 'State',
				value: orphan.possiblyInProgress ? `possibly in progress (younger than ${formatAge(analysis.minAgeMs)}); not counted` : 'orphan',
				mark: orphan.possiblyInProgress ? 'in-progress' : 'orphan',
			},
			{label: 'Type', value: orphan.type},
			{label: 'Size', value: `${formatBytes(orphan.bytes)} in ${formatCountOf(orphan.files, 'file')}`},
			{label: 'Job', value: orphan.jobId ?? '-'},
			{label: 'Newest', value: `${formatTime(orphan.timeMs)} (${formatAge(analysis.analysedAtMs - orphan.timeMs)} ago)`},
		];
	}
}

/**
 * The orphans view, in steps (there can be 100,000 orphans): all of them, or with `dir` those of
 * one directory (as Orphans by directory groups them, `orphanDirectory`).
 */
export function* buildOrphans(index: AnalysisIndex, dir?: string): Generator<void, ListModel> {
	const all = index.analysis.orphans;
	const orphans = dir === undefined ? all : all.filter((orphan) => orphanDirectory(orphan.path) === dir);
	let inProgress = 0;
	let bytes = 0;
	for (const orphan of orphans) {
		if (orphan.possiblyInProgress) inProgress++;
		else bytes += Math.max(0, orphan.bytes);
	}

	const rows = yield* mapInSteps(orphans, (orphan) => new OrphanRow(index, orphan));
	const empty = dir === undefined ? 'No orphans: every file under the roots is referenced.' : 'No orphans left in this directory.';
	return {
		crumb: orphansCrumb(index, dir),
		empty,
		summary: `⊘ ${formatCountOf(orphans.length - inProgress, 'orphan')} (${formatBytes(bytes)}) · … ${formatCount(inProgress)} possibly in progress`,
		sections: [{id: 'orphans', columns: ORPHAN_COLUMNS, rows, empty}],
	};
}

/** `Orphans`, or `Orphans in <dir>/` (relative to its root) for one directory's. */
export function orphansCrumb(index: AnalysisIndex, dir: string | undefined): string {
	return dir === undefined ? 'Orphans' : `Orphans in ${relativeToRoot(index.analysis.roots, dir)}/`;
}
