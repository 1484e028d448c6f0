/**
 * The quarantines `fcx clean` left below the roots, for the report and the explorer: what each
 * holds (held, not freed, until emptied), how old it is, and the commands that empty or restore
 * it. fcx never runs these commands; they are for the user to review and run.
 */
import type {Analysis, Quarantine, QuarantineRun} from '../analysis/types.js';
import {shellQuote} from '../cleanup/index.js';
import {formatAge, formatBytes, formatBytesExact, formatCountOf, isoTime} from '../text/index.js';

/** How a quarantine run is emptied and restored, as shell commands (`restore` null: see `restoreNote`). */
export interface QuarantineCommands {
	/** Deletes the run's moved entries (and its log and restore script, for a local quarantine). */
	empty: string;
	/** Moves every entry back (local: the run's restore script), or `null`. */
	restore: string | null;
	/** When `restore` is null: where the restore script is. */
	restoreNote?: string;
}

/** The commands of one run of `quarantine`. */
export function quarantineCommands(quarantine: Quarantine, run: QuarantineRun): QuarantineCommands {
	const path = run.path;
	if (path.startsWith('/')) {
		const extra = [run.log, run.restoreScript].filter((p): p is string => p !== null).map(shellQuote);
		return {
			empty: `rm -rf -- ${[shellQuote(path), ...extra].join(' ')}`,
			restore: run.restoreScript === null ? null : `sh ${shellQuote(run.restoreScript)}`,
			...(run.restoreScript === null ? {restoreNote: 'no restore script in the quarantine: move the entries back below the root by hand'} : {}),
		};
	}
	const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(quarantine.path)?.[1].toLowerCase() ?? '';
	const empty = scheme.startsWith('s3')
		? `aws s3 rm --recursive ${shellQuote(`s3${path.slice(scheme.length)}/`)}`
		: scheme === 'hdfs' || scheme === 'webhdfs'
			? `hdfs dfs -rm -r -skipTrash ${shellQuote(path)}`
			: `delete ${path}/ with the store's own tool`;
	return {
		empty,
		restore: null,
		restoreNote: `fcx clean wrote its restore script where it ran: fcx-clean-${run.name}.restore.sh (beside fcx-clean-${run.name}.log)`,
	};
}

/** The quarantines of an analysis (none for a hand-built one). */
export function quarantinesOf(analysis: Analysis): Quarantine[] {
	return analysis.quarantines ?? [];
}

/** Bytes held in all quarantines. */
export function quarantinedBytes(analysis: Analysis): number {
	return quarantinesOf(analysis).reduce((n, q) => n + q.bytes, 0);
}

/** The one-line summary of the quarantines, or `null` when there is none. */
export function quarantineSummary(analysis: Analysis): string | null {
	const quarantines = quarantinesOf(analysis);
	if (quarantines.length === 0) return null;
	const runs = quarantines.reduce((n, q) => n + q.runs.length, 0);
	return `${formatBytesExact(quarantinedBytes(analysis))} in ${formatCountOf(quarantines.length, 'quarantine')} (${formatCountOf(runs, 'clean run')}): held until emptied, not freed`;
}

/** The QUARANTINES section of the text report (nothing when there is none); `heading` styles its title. */
export function quarantineLines(analysis: Analysis, heading: (text: string) => string = (text) => text): string[] {
	const quarantines = quarantinesOf(analysis);
	if (quarantines.length === 0) return [];
	const lines = ['', heading(`QUARANTINES (${quarantines.length})`)];
	for (const q of quarantines) {
		lines.push(`  ${q.path}  ${formatBytesExact(q.bytes)} in ${formatCountOf(q.files, 'file')}: moved by fcx clean, held until emptied (not freed)`);
		if (q.error !== undefined) lines.push(`      could not be read whole: ${q.error}`);
		for (const run of q.runs) {
			const age = run.timeMs > 0 ? `, ${formatAge(analysis.analysedAtMs - run.timeMs)} old (${isoTime(run.timeMs) ?? '?'})` : '';
			lines.push(`    run ${run.name}: ${formatBytes(run.bytes)} in ${formatCountOf(run.files, 'file')}${age}`);
			const commands = quarantineCommands(q, run);
			lines.push(`      restore: ${commands.restore ?? commands.restoreNote ?? '-'}`);
			lines.push(`      empty:   ${commands.empty}`);
		}
	}
	return lines;
}
