/** Times and durations for people and for JSON; UTC, so that output does not depend on the host. */

/** Epoch milliseconds to an ISO-8601 string; `null` for a missing / invalid time (0, NaN). */
export function isoTime(ms: number | null | undefined): string | null {
	if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) {
		return null;
	}

	return new Date(ms).toISOString();
}

/** Epoch milliseconds as `YYYY-MM-DD HH:MM:SS` (UTC, so output does not depend on the host); `-` when unknown. */
export function formatTime(timeMs: number): string {
	if (!Number.isFinite(timeMs) || timeMs <= 0) {
		return '-';
	}

	return new Date(timeMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** A duration in ms as a short age (`42s`, `5m`, `3h`, `2d`). */
export function formatAge(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) {
		return '-';
	}

	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 48) {
		return `${hours}h`;
	}

	return `${Math.floor(hours / 24)}d`;
}

/** A duration setting in ms, exactly when it is a whole number of hours or minutes (`1 h`, `30 min`, `45 s`). */
export function formatDuration(ms: number): string {
	if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
	if (ms % 60_000 === 0) return `${ms / 60_000} min`;
	return `${Math.round(ms / 1000)} s`;
}

const DURATION_UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

/**
 * A duration as `--min-age` takes it (`90s`, `15m`, `1h`, `2d`, `1w`, `1h30m`, or a bare number of
 * milliseconds), in ms; `undefined` for anything else. The one reader of durations: the command
 * line's flag and the explorer's `M` prompt.
 */
export function parseDurationMs(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed);
	const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
	let total = 0;
	let consumed = 0;
	for (const match of trimmed.matchAll(part)) {
		total += Number(match[1]) * DURATION_UNITS[match[2]];
		consumed += match[0].length;
	}

	return consumed === 0 || consumed !== trimmed.length ? undefined : total;
}
