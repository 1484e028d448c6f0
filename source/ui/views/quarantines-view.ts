/**
 * The quarantines view: one row per run of `fcx clean` kept in a `.fcx-quarantine` directory
 * below the roots, with its size and age; the details give the commands that restore or empty it
 * (fcx runs neither). A quarantine frees nothing until it is emptied.
 */
import type {Quarantine} from '../../analysis/types.js';
import {quarantineCommands, quarantinesOf} from '../../report/quarantines.js';
import {formatAge, formatBytes, formatBytesExact, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Column, DetailLine, ListModel, Row} from './types.js';
import {type AnalysisIndex, relativeToRoot} from './analysis-index.js';

const COLUMNS: Column[] = [
	{title: 'Quarantine run', width: 'flex', minWidth: 16, idealWidth: 48},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Files', width: 7, align: 'right'},
	{title: 'Age', width: 5, align: 'right'},
];

function runRow(index: AnalysisIndex, quarantine: Quarantine, position: number): Row {
	const run = quarantine.runs[position];
	const commands = quarantineCommands(quarantine, run);
	const {analysedAtMs, roots} = index.analysis;
	const age = run.timeMs > 0 ? formatAge(analysedAtMs - run.timeMs) : '-';
	const details = (): DetailLine[] => [
		{label: 'Path', value: run.path},
		{label: 'Holds', value: `${formatBytesExact(run.bytes)} in ${formatCountOf(run.files, 'file')}: moved by fcx clean, not freed until emptied`},
		{label: 'Moved', value: run.timeMs > 0 ? `${formatTime(run.timeMs)} (${age} ago)` : 'unknown'},
		{label: 'Restore', value: commands.restore ?? commands.restoreNote ?? '-'},
		{label: 'Empty', value: commands.empty},
		...(run.log === null ? [] : [{label: 'Log', value: run.log}]),
		{label: 'Quarantine', value: `${quarantine.path}: ${formatBytes(quarantine.bytes)} in all (logs and scripts too)`},
		...(quarantine.error === undefined ? [] : [{label: 'Error', value: `could not be read whole: ${quarantine.error}`, mark: 'warning' as const}]),
	];
	return {
		key: `quarantine:${run.path}`,
		cells: [relativeToRoot(roots, run.path), formatBytes(run.bytes), formatCount(run.files), age],
		marks: quarantine.error === undefined ? [] : ['warning'],
		sortName: run.path,
		sortSize: run.bytes,
		sortTime: run.timeMs,
		details,
	};
}

/** The quarantines view. */
export function buildQuarantines(index: AnalysisIndex): ListModel {
	const quarantines = quarantinesOf(index.analysis);
	const empty = 'No .fcx-quarantine directory below the roots.';
	const bytes = quarantines.reduce((n, q) => n + q.bytes, 0);
	return {
		crumb: 'Quarantines',
		empty,
		summary:
			quarantines.length === 0
				? undefined
				: `${formatBytes(bytes)} in ${formatCountOf(quarantines.length, 'quarantine')}: held until emptied (a quarantine frees nothing) · details: restore / empty commands`,
		sections: [
			{
				id: 'quarantines',
				columns: COLUMNS,
				rows: quarantines.flatMap((q) => q.runs.map((_, position) => runRow(index, q, position))),
				empty,
			},
		],
	};
}
