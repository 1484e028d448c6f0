/** ncdu-style size bars and percentages of a parent, for the storage breakdowns of the report and the explorer. */

/**
 * A bar of `width` cells (brackets not counted) filled in proportion to `part / whole`: `[####      ]`.
 * A part above zero shows at least one `#` (a few bytes are not nothing); `whole <= 0` is an empty bar.
 */
export function sizeBar(part: number, whole: number, width = 10): string {
	const fraction = whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
	let full = Math.round(fraction * width);
	if (full === 0 && part > 0 && whole > 0) full = 1;
	return `[${'#'.repeat(full)}${' '.repeat(width - full)}]`;
}

/** `part` as a percentage of `whole` with one decimal (`42.0%`, `100.0%`; `whole <= 0`: `-`), padded to 6 characters. */
export function percentOf(part: number, whole: number): string {
	if (!(whole > 0)) return '-'.padStart(6);
	return `${((100 * part) / whole).toFixed(1)}%`.padStart(6);
}
