/**
 * The sort indicator of a column header: ▲ (ascending) or ▼ (descending) after the title of the
 * column the list is sorted by, as ncdu and k9s show it. The glyph takes room nobody needs (the
 * column's padding, the end of the line, a column cut anyway: `columnWidths`), never a character
 * of a title that would otherwise show whole: the header's row prefix then says the order
 * (`size▼`) and the title is underlined.
 */
import {fit, textWidth, truncateEnd} from '../format.js';
import type {Column, SortOrder} from '../views/types.js';
import {layoutCells} from '../columns.js';

/** Whether an order runs ascending: names by default, sizes and times when reversed. */
export function ascending(order: SortOrder): boolean {
	return (order.key === 'name') !== order.reverse;
}

/** The glyph of an order: ▲ ascending, ▼ descending. */
export function sortGlyph(order: SortOrder): string {
	return ascending(order) ? '▲' : '▼';
}

/**
 * The index of the column that shows `order`'s key: the one whose `sortKey` names it, else for the
 * name order the first column; -1 when no column shows it (the time of a checkpoint's operators).
 */
export function sortColumnIndex(columns: readonly Column[], order: SortOrder): number {
	const index = columns.findIndex((column) => column.sortKey === order.key);
	return index === -1 && order.key === 'name' && columns.length > 0 ? 0 : index;
}

/**
 * A column title with the glyph, in `width` cells: `Size ▼`, `Age▼` when the space does not fit,
 * `Restorab…▼` when the title is cut anyway (a column narrower than it). A title that fills its
 * column exactly stays whole, without the glyph (`undefined`; see {@link headerText}).
 * (`columnWidths` gives the glyph room where the line has any to spare.)
 */
export function sortedTitle(title: string, width: number, glyph: string): string | undefined {
	const length = textWidth(title);
	if (length + 2 <= width) return `${title} ${glyph}`;
	if (length + 1 <= width) return `${title}${glyph}`;
	return length === width ? undefined : `${truncateEnd(title, Math.max(0, width - 1))}${glyph}`;
}

/** The sort order's column for a header or its rows: its index, for `sectionWidths`; -1 without an order. */
export function glyphColumn(columns: readonly Column[], order: SortOrder | undefined): number {
	return order === undefined ? -1 : sortColumnIndex(columns, order);
}

/** A header line's text, and where the sorted column's title is when it carries no glyph (to underline: start, end). */
export interface HeaderText {
	text: string;
	underline?: [number, number];
}

/**
 * The column header line of a list, its row prefix `prefix` columns wide: the titles laid out in
 * `widths` (see `columnWidths`), the sorted one with its glyph; without room for it, the prefix
 * says the order (`size▼`: the sort keys are four letters, the prefix six columns) and the title
 * is underlined (where the terminal shows styles).
 */
export function headerText(columns: readonly Column[], widths: readonly number[], order: SortOrder | undefined, prefix: number): HeaderText {
	const sorted = glyphColumn(columns, order);
	const titles = columns.map((column) => column.title);
	const marked = sorted === -1 || order === undefined ? undefined : sortedTitle(columns[sorted].title, widths[sorted], sortGlyph(order));
	if (marked !== undefined) titles[sorted] = marked;
	const cells = layoutCells(titles, columns, widths);
	if (sorted === -1 || order === undefined || marked !== undefined || !(widths[sorted] > 0)) return {text: ' '.repeat(prefix) + cells};
	const text = fit(`${order.key}${sortGlyph(order)}`, prefix) + cells;
	// The shown columns before it, each with its one-column gap.
	const start = prefix + widths.slice(0, sorted).reduce((sum, cell) => sum + (cell > 0 ? cell + 1 : 0), 0);
	return {text, underline: [start, start + widths[sorted]]};
}
