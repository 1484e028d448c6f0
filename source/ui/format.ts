/**
 * Presentation helpers of the explorer: bytes, counts, times, ids and fitting text into cells.
 * Everything here is pure and width-exact (one code point = one column for the glyphs we use).
 */
import prettyBytes from 'pretty-bytes';

/** Bytes for humans (`1.2 MB`); `?` for unknown (negative) sizes. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return '?';
	}

	return prettyBytes(bytes);
}

/** A count with thousands separators (`12,345`), locale independent. */
export function formatCount(count: number): string {
	return String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
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

/** A 32-hex job id shortened to its first 8 digits and `…`; other labels unchanged. */
export function shortJobId(label: string | null): string {
	if (label === null) {
		return 'savepoints';
	}

	return /^[0-9a-f]{32}$/i.test(label) ? `${label.slice(0, 8)}…` : label;
}

/** Last path segment (without trailing slashes); the input when it has none. */
export function baseName(path: string): string {
	const trimmed = path.replace(/[/\\]+$/, '');
	const index = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
	return index === -1 ? trimmed : trimmed.slice(index + 1);
}

/** Display width of a string: its number of code points (the explorer only uses single-width glyphs). */
export function textWidth(text: string): number {
	let width = 0;
	for (const _ of text) {
		width++;
	}

	return width;
}

/** Cuts `text` to at most `width` columns by replacing its middle with `…` (`/data/fl…/shared/ab.sst`). */
export function truncateMiddle(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const chars = [...text];
	if (chars.length <= width) {
		return text;
	}

	if (width === 1) {
		return '…';
	}

	// Keep more of the end: for paths the file name matters most.
	const keep = width - 1;
	const head = Math.floor(keep * 0.4);
	const tail = keep - head;
	return chars.slice(0, head).join('') + '…' + (tail > 0 ? chars.slice(chars.length - tail).join('') : '');
}

/** Cuts `text` to at most `width` columns at the end, marking the cut with `…`. */
export function truncateEnd(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const chars = [...text];
	if (chars.length <= width) {
		return text;
	}

	return chars.slice(0, width - 1).join('') + '…';
}

/** Fits `text` into exactly `width` columns: truncated (middle or end) and padded (left or right aligned). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', truncate: 'middle' | 'end' = 'middle'): string {
	const cut = truncate === 'middle' ? truncateMiddle(text, width) : truncateEnd(text, width);
	const pad = ' '.repeat(Math.max(0, width - textWidth(cut)));
	return align === 'left' ? cut + pad : pad + cut;
}

/**
 * A key that orders strings "naturally" with a plain `<` comparison: digit runs are zero-padded,
 * letters lower-cased, so `chk-9` < `chk-10`. Cheap enough to precompute for 100,000 rows.
 */
export function naturalKey(text: string): string {
	return text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(16, '0'));
}
