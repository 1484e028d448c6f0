/**
 * Orphans by directory (`O`): one row per directory that holds orphans (a file's directory, or the
 * job directory of an orphaned `chk-<n>`), with their count, bytes and newest age, biggest first
 * when sorted by size. Enter opens the orphans of that directory, where `A` marks them all.
 */
import type {Orphan} from '../../analysis/types.js';
import {formatAge, formatBytes, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Column, ListModel, Row} from './types.js';
import {type AnalysisIndex, relativeToRoot} from './analysis-index.js';

const GROUP_COLUMNS: Column[] = [
	{title: 'Directory', width: 'flex', minWidth: 12},
	{title: 'Orphans', width: 8, align: 'right'},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Share', width: 6, align: 'right'},
	{title: 'Age', width: 4, align: 'right'},
];

/** The directory an orphan is grouped under: the one that holds it (`/` when it has none). */
export function orphanDirectory(path: string): string {
	const slash = path.lastIndexOf('/');
	return slash <= 0 ? '/' : path.slice(0, slash);
}

/** Orphans of one directory, summed: count, bytes (unknown sizes count 0), newest time (ms). */
interface OrphanGroup {
	dir: string;
	count: number;
	bytes: number;
	inProgress: number;
	newestMs: number;
}

function groupOrphans(orphans: readonly Orphan[]): OrphanGroup[] {
	const groups = new Map<string, OrphanGroup>();
	for (const orphan of orphans) {
		const dir = orphanDirectory(orphan.path);
		let group = groups.get(dir);
		if (group === undefined) {
			group = {dir, count: 0, bytes: 0, inProgress: 0, newestMs: Number.NEGATIVE_INFINITY};
			groups.set(dir, group);
		}

		group.count++;
		group.bytes += Math.max(0, orphan.bytes);
		if (orphan.possiblyInProgress) group.inProgress++;
		group.newestMs = Math.max(group.newestMs, orphan.timeMs);
	}

	return [...groups.values()];
}

function groupRow(index: AnalysisIndex, group: OrphanGroup, allBytes: number): Row {
	const {analysis} = index;
	const share = allBytes > 0 ? `${((100 * group.bytes) / allBytes).toFixed(1)}%` : '-';
	const name = `${relativeToRoot(analysis.roots, group.dir)}/`;
	return {
		key: `dir:${group.dir}`,
		cells: [name, formatCount(group.count), formatBytes(group.bytes), share, formatAge(analysis.analysedAtMs - group.newestMs)],
		marks: group.inProgress === group.count ? ['in-progress'] : ['orphan'],
		sortName: group.dir,
		sortSize: group.bytes,
		sortTime: group.newestMs,
		open: {type: 'orphans', dir: group.dir},
		details: () => [
			{label: 'Directory', value: group.dir},
			{label: 'Orphans', value: `${formatCountOf(group.count, 'orphan')}, ${formatBytes(group.bytes)} (${share} of the bytes this view lists)`},
			{label: 'In progress', value: group.inProgress === 0 ? 'none' : `${formatCount(group.inProgress)} possibly in progress: never marked`},
			{label: 'Newest', value: `${formatTime(group.newestMs)} (${formatAge(analysis.analysedAtMs - group.newestMs)} ago)`},
			{label: 'Enter', value: 'its orphans (A marks them all, with --allow-delete)'},
		],
	};
}

/** The Orphans-by-directory view. */
export function buildOrphanDirs(index: AnalysisIndex): ListModel {
	const {orphans, totals} = index.analysis;
	const inProgress = orphans.length - totals.orphans;
	const groups = groupOrphans(orphans);
	const allBytes = groups.reduce((sum, group) => sum + group.bytes, 0);
	const empty = 'No orphans: every file under the roots is referenced.';
	return {
		crumb: 'Orphans by directory',
		empty,
		summary: `${formatCountOf(groups.length, 'directory', 'directories')} · ⊘ ${formatCountOf(totals.orphans, 'orphan')} (${formatBytes(totals.orphanBytes)}) · … ${formatCount(inProgress)} possibly in progress`,
		sections: [{id: 'orphan-dirs', columns: GROUP_COLUMNS, rows: groups.map((group) => groupRow(index, group, allBytes)), empty}],
	};
}
