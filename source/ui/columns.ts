/**
 * Column layout of the explorer's lists: columns share the width by what they hold. Each column is
 * as wide as its title and its widest cell (measured on the section's rows, a sample of them in a
 * long list), a fixed column at most its `width`; the `flex` columns (names, paths, ids, messages)
 * share what is left, a short one getting its whole width before a long one takes the rest. Width
 * nobody needs stays at the end of the line instead of padding a column (issue 24, defect 2).
 */
import {fit, shortJobId, textWidth} from './format.js';
import type {Column, Row, Section} from './views/types.js';

/** Width of the cursor (`❯ `) and marks (`✗⊘↗ `) prefix of every row. */
export const PREFIX_WIDTH = 6;

/** Default minimum width of a flex column. */
const FLEX_MIN = 8;

/** Rows measured per section: all of a short list, an even spread of a long one (orphan rows make their cells on first use). */
const SAMPLE_ROWS = 1000;

/**
 * What each column holds, in terminal columns: the widest of its title and the cells of `rows`
 * (every row up to {@link SAMPLE_ROWS}, else an even spread of that many; the same rows in the same
 * order give the same widths). No room is kept here for the sort glyph: {@link columnWidths} gives
 * the sorted column what it needs only from room nobody needs (see `components/sort-indicator.ts`),
 * which keeps the Jobs view's whole job ids at 100 columns.
 */
export function contentWidths(columns: readonly Column[], rows: readonly Row[]): number[] {
	const widths = columns.map((column) => textWidth(column.title));
	const step = Math.max(1, rows.length / SAMPLE_ROWS);
	for (let position = 0; position < rows.length; position += step) {
		const cells = rows[Math.floor(position)].cells;
		for (let index = 0; index < widths.length; index++) {
			const cell = cells[index];
			if (cell !== undefined && cell.length > widths[index] / 2) {
				// A cell of n UTF-16 units is at most 2n columns wide: shorter ones cannot be the widest.
				widths[index] = Math.max(widths[index], textWidth(cell));
			}
		}
	}

	return widths;
}

const measured = new WeakMap<readonly Row[], number[]>();
const laidOut = new WeakMap<number[], Map<string, number[]>>();

/**
 * The {@link contentWidths} of `section`, cached per rows array: measured when a view is prepared
 * ahead (`views/prepare.ts`), so that the first frame of a 100,000-row view finds them.
 */
export function measureSection(section: Pick<Section, 'columns' | 'rows'>): number[] {
	let content = measured.get(section.rows);
	if (content === undefined || content.length !== section.columns.length) {
		content = contentWidths(section.columns, section.rows);
		measured.set(section.rows, content);
	}

	return content;
}

/**
 * The cell widths of `section` in a list `width` columns wide ({@link columnWidths} of its
 * {@link contentWidths}, `glyphColumn` the sorted one); cached per rows array, width and sorted
 * column, so a row's props keep their identity.
 */
export function sectionWidths(section: Pick<Section, 'columns' | 'rows'>, width: number, glyphColumn = -1): number[] {
	const content = measureSection(section);
	let byWidth = laidOut.get(content);
	if (byWidth === undefined) {
		byWidth = new Map();
		laidOut.set(content, byWidth);
	}

	const key = `${width}:${glyphColumn}`;
	let widths = byWidth.get(key);
	if (widths === undefined) {
		widths = columnWidths(section.columns, width, content, glyphColumn);
		byWidth.set(key, widths);
	}

	return widths;
}

/**
 * Cell widths for a list `width` columns wide (the row prefix included) whose columns hold
 * `content` columns of text (default: the full `width` of fixed columns, unbounded flex ones).
 * A fixed column gets what it holds, at most its `width` (a right-aligned one, a number, all it
 * holds); flex columns get at least their `minWidth` and share the rest ({@link shareFlex}). When that does not fit, columns are left out
 * (width 0) from the right, never the first nor a flex one: `optional` columns first, also when a
 * flex column would otherwise be narrower than its `idealWidth`. The column `glyphColumn` (the
 * sorted one; -1: none) then gets room for the sort glyph after its title ({@link glyphRoom}).
 */
export function columnWidths(columns: readonly Column[], width: number, content?: readonly number[], glyphColumn = -1): number[] {
	const available = width - PREFIX_WIDTH;
	const holds = columns.map((column, index) => content?.[index] ?? (column.width === 'flex' ? Number.POSITIVE_INFINITY : column.width));
	const flex = (index: number) => columns[index].width === 'flex';
	// A right-aligned column holds a number: cut, `102,400` would read `10…400`, so it gets what it holds.
	const widths = columns.map((column, index) => (column.width === 'flex' ? 0 : column.align === 'right' ? holds[index] : Math.min(column.width, holds[index])));
	const flexMin = columns.map((column, index) => (flex(index) ? Math.min(holds[index], column.minWidth ?? FLEX_MIN) : 0));
	const ideal = columns.map((column, index) => (flex(index) ? Math.min(holds[index], column.idealWidth ?? 0) : 0));
	const shown = (): number[] => widths.flatMap((cell, index) => (cell > 0 || flex(index) ? [index] : []));
	const fixedAndGaps = (): number => widths.reduce((sum, cell) => sum + cell, 0) + Math.max(0, shown().length - 1);
	const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
	for (let index = columns.length - 1; index > 0; index--) {
		const room = available - fixedAndGaps();
		if (columns[index].optional === true && widths[index] > 0 && (room < sum(flexMin) || room < sum(ideal))) {
			widths[index] = 0;
		}
	}

	for (let index = columns.length - 1; index > 0 && available - fixedAndGaps() < sum(flexMin); index--) {
		if (!flex(index)) {
			widths[index] = 0;
		}
	}

	const shares = shareFlex(
		holds.map((held, index) => (flex(index) ? held : 0)),
		flexMin,
		available - fixedAndGaps(),
	);
	const laid = widths.map((cell, index) => (flex(index) ? shares[index] : cell));
	return glyphColumn < 0 || !(laid[glyphColumn] > 0) ? laid : glyphRoom(columns, laid, holds, flexMin, available, glyphColumn);
}

/**
 * Room for the sort glyph in column `index` whose title fills it: `Title ▼` (or `Title▼`) from the
 * width at the end of the line nobody needs, else one column (the glyph) from a flex column cut
 * anyway (narrower than what it holds, not below its minimum). Without either the widths stay
 * (the header then marks the title without a glyph, see `components/sort-indicator.ts`).
 */
function glyphRoom(
	columns: readonly Column[],
	widths: readonly number[],
	holds: readonly number[],
	min: readonly number[],
	available: number,
	index: number,
): number[] {
	const title = textWidth(columns[index].title);
	const out = [...widths];
	const spare = available - widths.reduce((sum, cell) => sum + cell, 0) - Math.max(0, widths.filter((cell) => cell > 0).length - 1);
	const wanted = Math.max(0, title + 2 - out[index]);
	out[index] += Math.min(wanted, Math.max(0, spare));
	// Wider: the glyph fits; narrower: the title is cut anyway, and the glyph takes its last character.
	if (out[index] !== title) return out;
	const donor = out.findIndex((cell, other) => other !== index && columns[other].width === 'flex' && cell < holds[other] && cell > min[other]);
	if (donor === -1) return out;
	out[donor]--;
	out[index]++;
	return out;
}

/**
 * Shares `room` columns among the flex columns (`holds` > 0): each gets its `min`, then the rest
 * goes evenly to those still short of what they hold, one reaching it leaving its part to the
 * others (so a short column shows whole and a long one takes what remains). Room nobody needs is
 * left over.
 */
function shareFlex(holds: readonly number[], min: readonly number[], room: number): number[] {
	const widths = holds.map((held, index) => (held > 0 ? min[index] : 0));
	let left = room - widths.reduce((total, cell) => total + cell, 0);
	for (;;) {
		const short = widths.flatMap((cell, index) => (holds[index] > 0 && cell < holds[index] ? [index] : []));
		if (short.length === 0 || left <= 0) {
			return widths;
		}

		const share = Math.floor(left / short.length);
		const filled = short.filter((index) => holds[index] - widths[index] <= share);
		if (filled.length > 0) {
			for (const index of filled) {
				left -= holds[index] - widths[index];
				widths[index] = holds[index];
			}

			continue;
		}

		// Every one wants more than an even share: share evenly, the remainder from the left.
		for (const [position, index] of short.entries()) {
			const extra = share + (position < left - share * short.length ? 1 : 0);
			widths[index] += extra;
		}

		return widths;
	}
}

/** A cell fitted to its column: a job id cut as everywhere (`shortJobId`), else as the column's `cut` says (default the middle). */
function fitCell(cell: string, column: Column, width: number): string {
	if (column.jobId === true && textWidth(cell) > width) {
		return fit(shortJobId(cell), width, column.align ?? 'left', column.cut);
	}

	return fit(cell, width, column.align ?? 'left', column.cut);
}

/** The cells of a row (or the column titles) laid out in `widths` (columns of width 0 left out). */
export function layoutCells(cells: readonly string[], columns: readonly Column[], widths: readonly number[]): string {
	const parts: string[] = [];
	for (const [index, column] of columns.entries()) {
		if (widths[index] > 0) {
			parts.push(fitCell(cells[index] ?? '', column, widths[index]));
		}
	}

	return parts.join(' ');
}
