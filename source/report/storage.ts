/**
 * The why of a job's storage in words, for the text report and the explorer: the bytes only the
 * job holds, the bytes other jobs still need, and its directory part by part with ncdu-style bars
 * and percentages of the directory (numbers from `analysis/storage.ts`).
 */
import type {JobStorage, StoragePart} from '../analysis/storage.js';
import {formatBytes, formatCountOf, percentOf, sizeBar} from '../text/index.js';

/** How each part of a job directory is named. */
export const STORAGE_PART_LABELS: Record<StoragePart, string> = {
	checkpoints: 'chk-<n> (exclusive state, _metadata)',
	'shared-referenced': 'shared/ referenced or kept',
	'shared-orphaned': 'shared/ orphaned',
	taskowned: 'taskowned/',
	other: 'other',
};

/** One line per part that holds a file: `[####      ]  42.0%  1.2 GB  chk-<n> (…), 12 files`. */
export function storagePartLines(storage: JobStorage): string[] {
	const parts = storage.parts.filter((p) => p.files > 0);
	const sizes = parts.map((p) => formatBytes(p.bytes));
	const width = Math.max(0, ...sizes.map((s) => s.length));
	return parts.map(
		(p, i) =>
			`${sizeBar(p.bytes, storage.bytes)} ${percentOf(p.bytes, storage.bytes)}  ${sizes[i].padStart(width)}  ${STORAGE_PART_LABELS[p.part]}, ${formatCountOf(p.files, 'file')}`,
	);
}

/** What deleting the job directory would free and break, in one line. */
export function storageWhyLine(storage: JobStorage): string {
	const needed =
		storage.neededByOthersBytes > 0
			? `${formatBytes(storage.neededByOthersBytes)} still needed by ${formatCountOf(storage.neededBy.length, 'other job')}`
			: 'nothing needed by other jobs';
	const unknown = storage.unknownReferrers > 0 ? `; ${formatCountOf(storage.unknownReferrers, 'unreadable snapshot')} elsewhere may need more (unknown)` : '';
	return `${formatBytes(storage.onlyThisJobBytes)} only this job holds, ${needed}${unknown}`;
}

/** One line per job that needs files of the directory: `job <id>: 3 files, 1.2 GB`. */
export function neededByLines(storage: JobStorage): string[] {
	return storage.neededBy.map((n) => `${n.jobId === null ? n.path : `job ${n.jobId}`}: ${formatCountOf(n.files, 'file')}, ${formatBytes(n.bytes)}`);
}

/** The storage lines of a job in the text report (indented under the job's header). */
export function jobStorageLines(storage: JobStorage, treeBytes: number): string[] {
	return [
		`  storage: ${formatBytes(storage.bytes)} in the job directory,${percentOf(storage.bytes, treeBytes)} of the tree; ${storageWhyLine(storage)}`,
		...neededByLines(storage).map((line) => `    needed by ${line}`),
		...storagePartLines(storage).map((line) => `    ${line}`),
	];
}
