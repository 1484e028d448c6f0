/**
 * The directory view: the scanned files at or below one directory (a dead job's directory, an
 * orphan directory), each with its size, age and why it is an orphan, or why it is kept. Where
 * Enter leads from a job without checkpoints and from an orphan directory (issue 24, defect 6).
 */
import type {Orphan} from '../../analysis/types.js';
import {baseName, isInside} from '../../tree/layout.js';
import {formatAge, formatBytes, formatCountOf, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, DetailLine, ListModel, Row} from './types.js';
import {mapInSteps} from './steps.js';
import {type AnalysisIndex, reasonLabel, referencingCheckpoints} from './analysis-index.js';

const DIRECTORY_COLUMNS: Column[] = [
	{title: 'File', width: 'flex', minWidth: 12, cut: 'path'},
	{title: 'Size', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Age', width: 4, align: 'right', sortKey: 'time'},
	{title: 'Why', width: 'flex', minWidth: 12, cut: 'end'},
];

const ORPHAN_MARKS: Mark[] = ['orphan'];
const IN_PROGRESS_MARKS: Mark[] = ['in-progress'];
const NO_MARKS: Mark[] = [];

/** A scanned file below the directory, with the orphan that covers it (the file or its nearest orphan directory). */
interface DirectoryFile {
	path: string;
	size: number;
	mtimeMs: number;
	orphan: Orphan | undefined;
}

/** The orphan covering `path`: itself or its nearest ancestor up to `directory` (orphans by path). */
function coveringOrphan(orphans: Map<string, Orphan>, path: string, directory: string): Orphan | undefined {
	let current = path;
	for (;;) {
		const orphan = orphans.get(current);
		if (orphan !== undefined || current === directory || current.length <= 1) return orphan;
		const slash = current.lastIndexOf('/');
		current = slash <= 0 ? '/' : current.slice(0, slash);
	}
}

/** Why a file is kept or deletable, in the Why column. */
function whyLabel(index: AnalysisIndex, file: DirectoryFile): string {
	if (file.orphan === undefined) {
		return referencingCheckpoints(index, file.path).length > 0 ? 'referenced (kept)' : 'not an orphan (kept)';
	}

	return file.orphan.possiblyInProgress ? 'possibly in progress' : reasonLabel(file.orphan.reason);
}

function directoryRow(index: AnalysisIndex, directory: string, file: DirectoryFile, position: number): Row {
	const {analysis} = index;
	const why = whyLabel(index, file);
	return {
		key: `dirfile:${position}`,
		cells: [file.path.slice(directory.length + 1) || baseName(file.path), formatBytes(file.size), formatAge(analysis.analysedAtMs - file.mtimeMs), why],
		marks: file.orphan === undefined ? NO_MARKS : file.orphan.possiblyInProgress ? IN_PROGRESS_MARKS : ORPHAN_MARKS,
		sortName: file.path,
		sortSize: file.size,
		sortTime: file.mtimeMs,
		details: (): DetailLine[] => [
			{label: 'Path', value: file.path},
			{label: 'Size', value: formatBytes(file.size)},
			{label: 'Modified', value: `${formatTime(file.mtimeMs)} (${formatAge(analysis.analysedAtMs - file.mtimeMs)} ago)`},
			file.orphan === undefined
				? {label: 'Why', value: why}
				: {label: 'Why', value: file.orphan.description, mark: file.orphan.possiblyInProgress ? 'in-progress' : 'orphan'},
		],
	};
}

/** The directory view of `directory` (an absolute path), in steps (a dead job can hold 100,000 files). */
export function* buildDirectory(index: AnalysisIndex, directory: string): Generator<void, ListModel> {
	const {analysis} = index;
	const orphans = new Map(
		analysis.orphans.filter((orphan) => isInside(orphan.path, directory) || isInside(directory, orphan.path)).map((orphan) => [orphan.path, orphan]),
	);
	// An orphan directory above `directory` covers all of it.
	const above = [...orphans.values()]
		.filter((orphan) => orphan.path !== directory && isInside(directory, orphan.path))
		.sort((a, b) => b.path.length - a.path.length)[0];
	const files: DirectoryFile[] = [];
	for (const [path, stat] of analysis.scannedFiles) {
		if (!isInside(path, directory)) continue;
		const orphan = coveringOrphan(orphans, path, directory) ?? above;
		files.push({path, size: stat.size, mtimeMs: stat.mtimeMs, orphan});
	}

	const rows = yield* mapInSteps(files, (file, position) => directoryRow(index, directory, file, position));
	const bytes = files.reduce((sum, file) => sum + file.size, 0);
	const orphaned = files.filter((file) => file.orphan !== undefined && !file.orphan.possiblyInProgress).length;
	const empty = `No scanned files under ${directory}.`;
	return {
		crumb: `${baseName(directory) || directory}/`,
		empty,
		summary: `${formatCountOf(files.length, 'file')} (${formatBytes(bytes)}) under ${directory} · ⊘ ${formatCountOf(orphaned, 'orphan file')}`,
		sections: [{id: 'directory', columns: DIRECTORY_COLUMNS, rows, empty}],
	};
}
