/** Byte sizes for people: `pretty-bytes` (SI units) and exact counts, locale independent. */
import prettyBytes from 'pretty-bytes';

/** `pretty-bytes` for a size in bytes; `unknown` for negative (unknown, -1) sizes. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return 'unknown';
	}

	return prettyBytes(bytes);
}

/** Exact byte count with thousands separators (`12,345 bytes`); fixed `en-US` grouping so output does not depend on the locale. */
export function formatExactBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return 'unknown size';
	}

	const digits = String(Math.trunc(bytes));
	const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${grouped} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** `pretty-bytes` plus the exact count when they differ, e.g. `1.23 kB (1,234 bytes)`. */
export function formatBytesExact(bytes: number): string {
	const pretty = formatBytes(bytes);
	if (bytes < 1000 || !Number.isFinite(bytes)) {
		return pretty;
	}

	return `${pretty} (${formatExactBytes(bytes)})`;
}
