/**
 * The explorer's min-age (`M`): what would go if orphans younger than an age the user types were
 * kept, as `--min-age` keeps them. The age is never below the command line's `--min-age` (the
 * analysis's `minAgeMs`): one typed in the explorer can only make deletion keep more, never less.
 * Counted from the orphans' newest mtimes, by the analysis's own rule (newest at or after
 * `analysedAtMs - age`: kept).
 */
import type {Analysis} from '../analysis/types.js';
import {formatBytes, formatCountOf, formatDuration, parseDurationMs} from '../text/index.js';

/** An orphan as the age rule sees it: its newest mtime (epoch ms), and whether the analysis kept it already. */
export interface AgedOrphan {
	timeMs: number;
	possiblyInProgress: boolean;
}

/** The age the explorer keeps orphans at, ms: the one typed with `M` (`null`: none), never below the analysis's `--min-age`. */
export function effectiveMinAge(analysis: Pick<Analysis, 'minAgeMs'>, typedMs: number | null): number {
	return Math.max(analysis.minAgeMs, typedMs ?? 0);
}

/** The epoch ms from which an orphan is kept at `minAgeMs` (its newest mtime at or after it). */
export function keptSince(analysis: Pick<Analysis, 'analysedAtMs'>, minAgeMs: number): number {
	return analysis.analysedAtMs - minAgeMs;
}

/** Whether an orphan is kept (possibly in progress) with the cut-off of {@link keptSince}. */
export function isKept(orphan: AgedOrphan, since: number): boolean {
	return orphan.possiblyInProgress || orphan.timeMs >= since;
}

/** Whether an orphan may be marked at the age typed with `M` (`null`: none): one kept (in progress, younger) may not. */
export function markable(analysis: Pick<Analysis, 'minAgeMs' | 'analysedAtMs'>, typedMs: number | null, orphan: AgedOrphan | undefined): boolean {
	return orphan !== undefined && !isKept(orphan, typedMs === null ? Number.POSITIVE_INFINITY : keptSince(analysis, effectiveMinAge(analysis, typedMs)));
}

/** What would go at an age: the orphans not kept, their files and bytes. */
export interface GoneAt {
	/** The age, ms. */
	minAgeMs: number;
	orphans: number;
	files: number;
	bytes: number;
}

/** What would go at `minAgeMs` (one pass over the orphans). */
export function goneAt(analysis: Pick<Analysis, 'orphans' | 'analysedAtMs'>, minAgeMs: number): GoneAt {
	const since = keptSince(analysis, minAgeMs);
	const gone: GoneAt = {minAgeMs, orphans: 0, files: 0, bytes: 0};
	for (const orphan of analysis.orphans) {
		if (isKept(orphan, since)) continue;
		gone.orphans++;
		gone.files += orphan.files;
		gone.bytes += Math.max(0, orphan.bytes);
	}

	return gone;
}

/** The header's line: `at min-age 2 h: 12 files, 4.5 MB would go`. */
export function goneAtText(gone: GoneAt): string {
	return `at min-age ${formatDuration(gone.minAgeMs)}: ${formatCountOf(gone.files, 'file')}, ${formatBytes(gone.bytes)} would go`;
}

/**
 * The outcome of the `M` prompt's text: the age to set (`null`: back to the command line's;
 * absent: unreadable, unchanged) and what the footer says. A typed age below the command line's
 * counts as it (and the footer says so).
 */
export function readMinAge(text: string, commandLineMs: number): {ageMs?: number | null; message: string} {
	if (text.trim() === '') {
		return {ageMs: null, message: `min-age: back to the command line's ${formatDuration(commandLineMs)}`};
	}

	const typed = parseDurationMs(text);
	if (typed === undefined) {
		return {message: `min-age: cannot read "${text}" as a duration (examples: 30s, 15m, 1h, 2d); unchanged`};
	}

	if (typed < commandLineMs) {
		return {
			ageMs: null,
			message: `min-age ${formatDuration(typed)} is below the command line's ${formatDuration(commandLineMs)}: the explorer can only keep more, so ${formatDuration(commandLineMs)} it is`,
		};
	}

	return {ageMs: typed, message: `min-age ${formatDuration(typed)}: younger orphans are kept (…), never marked or moved`};
}

/** The explorer's min-age as the screen shows it: the effective age, and with one typed, its cut-off and what would go. */
export interface MinAgeView {
	/** The age deletion keeps orphans at, ms: the typed one or the command line's. */
	effectiveMs: number;
	/** {@link keptSince} of the typed age; absent without one (the analysis's `possiblyInProgress` says). */
	since?: number;
	/** What would go at the typed age; absent without one. */
	gone?: GoneAt;
}

/** {@link MinAgeView} of the age typed with `M` (`null`: none). */
export function minAgeView(analysis: Pick<Analysis, 'minAgeMs' | 'orphans' | 'analysedAtMs'>, typedMs: number | null): MinAgeView {
	const effectiveMs = effectiveMinAge(analysis, typedMs);
	if (typedMs === null) return {effectiveMs};
	return {effectiveMs, since: keptSince(analysis, effectiveMs), gone: goneAt(analysis, effectiveMs)};
}
