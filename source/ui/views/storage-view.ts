/**
 * The storage view of a job (`u`): what its directory holds part by part with ncdu-style bars and
 * percentages of the directory, what only the job holds, and which other jobs still need files of
 * it (numbers from `analysis/storage.ts`, words from `report/storage.ts`).
 */
import {storageOfJob, type JobStorage, type StoragePart} from '../../analysis/storage.js';
import {STORAGE_PART_LABELS, storageWhyLine} from '../../report/storage.js';
import {formatBytes, formatBytesExact, formatCount, formatCountOf, percentOf, sizeBar} from '../../text/index.js';
import {shortJobId} from '../format.js';
import type {Column, DetailLine, ListModel, Row, ViewRef} from './types.js';
import type {AnalysisIndex} from './analysis-index.js';

const PART_COLUMNS: Column[] = [
	{title: 'Part', width: 'flex', minWidth: 12, idealWidth: 38},
	{title: 'Share', width: 12},
	{title: '%', width: 6, align: 'right'},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Files', width: 7, align: 'right'},
];

const NEEDED_COLUMNS: Column[] = [
	{title: 'Needed by', width: 'flex', minWidth: 12, idealWidth: 32, jobId: true},
	{title: 'Share', width: 12},
	{title: '%', width: 6, align: 'right'},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Files', width: 7, align: 'right'},
];

/** What each part is, for the details pane. */
const PART_MEANING: Record<StoragePart, string> = {
	checkpoints: 'the chk-<n> directories: exclusive state and _metadata of each checkpoint (incomplete ones too)',
	'shared-referenced': 'shared/ files that are no orphan: referenced by a snapshot, younger than --min-age, or kept because fcx cannot know',
	'shared-orphaned': 'shared/ files no loaded snapshot references (orphans; see o)',
	taskowned: 'the taskowned/ directory (file merging, task-owned state)',
	other: 'anything else below the job directory',
};

/** Where Enter leads from a part: its checkpoints, or the directory's files. */
function partOpen(storage: JobStorage, part: StoragePart): ViewRef | undefined {
	if (part === 'checkpoints') return {type: 'checkpoints', jobPath: storage.jobPath};
	if (part === 'shared-referenced' || part === 'shared-orphaned') return {type: 'directory', path: `${storage.jobPath}/shared`};
	if (part === 'taskowned') return {type: 'directory', path: `${storage.jobPath}/taskowned`};
	return {type: 'directory', path: storage.jobPath};
}

function partRow(storage: JobStorage, position: number): Row {
	const {part, bytes, files} = storage.parts[position];
	const details = (): DetailLine[] => [
		{label: 'Part', value: STORAGE_PART_LABELS[part]},
		{label: 'Holds', value: PART_MEANING[part]},
		{label: 'Size', value: `${formatBytesExact(bytes)} in ${formatCountOf(files, 'file')}`},
		{label: 'Share', value: `${percentOf(bytes, storage.bytes).trim()} of the job directory (${formatBytes(storage.bytes)})`},
		{label: 'Job', value: storageWhyLine(storage)},
	];
	return {
		key: `part:${part}`,
		cells: [STORAGE_PART_LABELS[part], sizeBar(bytes, storage.bytes), percentOf(bytes, storage.bytes), formatBytes(bytes), formatCount(files)],
		marks: part === 'shared-orphaned' && files > 0 ? ['orphan'] : [],
		// Layout order by name (the default sort); `s` sorts by size as ncdu does.
		sortName: String(position),
		sortSize: bytes,
		sortTime: 0,
		open: files > 0 ? partOpen(storage, part) : undefined,
		details,
	};
}

function neededRow(index: AnalysisIndex, storage: JobStorage, position: number): Row {
	const needed = storage.neededBy[position];
	const name = needed.jobId ?? needed.path;
	const isJob = needed.jobId !== null && index.jobByPath.has(needed.path);
	return {
		key: `needed:${needed.path}`,
		cells: [name, sizeBar(needed.bytes, storage.bytes), percentOf(needed.bytes, storage.bytes), formatBytes(needed.bytes), formatCount(needed.files)],
		marks: ['cross-job'],
		sortName: name,
		sortSize: needed.bytes,
		sortTime: 0,
		open: isJob ? {type: 'checkpoints', jobPath: needed.path} : undefined,
		details: () => [
			{label: 'Path', value: needed.path},
			{label: 'Needs', value: `${formatCountOf(needed.files, 'file')} (${formatBytesExact(needed.bytes)}) of ${shortJobId(storage.jobId)}'s directory`},
			{label: 'Why', value: 'its snapshots reference them (a restore in CLAIM or LEGACY mode): deleting the directory would break them'},
		],
	};
}

/** The storage view of the job at `jobPath`. */
export function buildStorage(index: AnalysisIndex, jobPath: string): ListModel {
	const storage = storageOfJob(index.analysis, jobPath);
	const crumb = 'Storage';
	if (storage === undefined) {
		const empty = `No job directory at ${jobPath}: storage is shown for job directories.`;
		return {crumb, empty, sections: [{id: 'parts', columns: PART_COLUMNS, rows: [], empty}]};
	}
	const tree = index.analysis.totals.bytesOnDisk;
	const unknown = storage.unknownReferrers > 0 ? ` · ⚠ ${formatCountOf(storage.unknownReferrers, 'unreadable snapshot')} may need more` : '';
	return {
		crumb,
		empty: 'No scanned file in the job directory.',
		summary: `${formatBytes(storage.bytes)} in ${formatCountOf(storage.files, 'file')} · ${percentOf(storage.bytes, tree).trim()} of the tree · ${formatBytes(storage.onlyThisJobBytes)} only this job · ${formatBytes(storage.neededByOthersBytes)} needed by other jobs${unknown}`,
		sections: [
			{
				id: 'parts',
				title: `The job directory (${formatBytes(storage.bytes)})`,
				columns: PART_COLUMNS,
				rows: storage.parts.map((_, position) => partRow(storage, position)),
				empty: 'No scanned file in the job directory.',
			},
			{
				id: 'needed',
				title: `Still needed by other jobs (${formatBytes(storage.neededByOthersBytes)})`,
				columns: NEEDED_COLUMNS,
				rows: storage.neededBy.map((_, position) => neededRow(index, storage, position)),
				empty: 'No other job references files of this directory: deleting it breaks no snapshot that was read.',
			},
		],
	};
}
