/**
 * The sort indicator of a column header: ▲ (ascending) or ▼ (descending) after the title of the
 * column the list is sorted by, as ncdu and k9s show it.
 */
import {textWidth, truncateEnd} from '../format.js';
import type {Column, SortOrder} from '../views/types.js';

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

/** A column title with the glyph, in `width` cells: `Size ▼`, `Age▼` when the space does not fit, `Need…▼` when neither does. */
export function sortedTitle(title: string, width: number, glyph: string): string {
	const length = textWidth(title);
	if (length + 2 <= width) return `${title} ${glyph}`;
	if (length + 1 <= width) return `${title}${glyph}`;
	return `${truncateEnd(title, Math.max(0, width - 1))}${glyph}`;
}

/** The column titles of a header, the sorted column's with its glyph (`widths`: the columns' widths, see `columnWidths`). */
export function headerTitles(columns: readonly Column[], widths: readonly number[], order: SortOrder | undefined): string[] {
	const sorted = order === undefined ? -1 : sortColumnIndex(columns, order);
	return columns.map((column, index) => (index === sorted && order !== undefined ? sortedTitle(column.title, widths[index], sortGlyph(order)) : column.title));
}
