/**
 * Sorting, filtering and flattening of view sections for display. Pure functions, memoised by the
 * explorer (sort once per sort key, filter on the sorted rows), fast enough for 100,000 rows.
 */
import type {Row, Section, SortKey} from './types.js';

/** Compares rows for a sort key: name ascending (natural), size and time descending; ties by name, then key. */
export function compareRows(sort: SortKey): (a: Row, b: Row) => number {
	const byName = (a: Row, b: Row): number => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
	switch (sort) {
		case 'name':
			return byName;
		case 'size':
			return (a, b) => b.sortSize - a.sortSize || byName(a, b);
		case 'time':
			return (a, b) => b.sortTime - a.sortTime || byName(a, b);
	}
}

/** Sorts the rows of every section (new arrays; the input is untouched). */
export function sortSections(sections: readonly Section[], sort: SortKey): Section[] {
	const compare = compareRows(sort);
	return sections.map((section) => ({...section, rows: [...section.rows].sort(compare)}));
}

const searchText = new WeakMap<Row, string>();

/** Whether a row matches a filter: case-insensitive substring of any cell. */
export function rowMatches(row: Row, needle: string): boolean {
	let text = searchText.get(row);
	if (text === undefined) {
		text = row.cells.join('\u0000').toLowerCase();
		searchText.set(row, text);
	}

	return text.includes(needle);
}

/** Keeps the rows matching `filter` (empty filter: everything). */
export function filterSections(sections: readonly Section[], filter: string): Section[] {
	const needle = filter.trim().toLowerCase();
	if (needle === '') {
		return [...sections];
	}

	return sections.map((section) => ({...section, rows: section.rows.filter((row) => rowMatches(row, needle))}));
}

/** A line of the windowed list. */
export type DisplayLine =
	| {kind: 'title'; key: string; text: string}
	| {kind: 'columns'; key: string; section: Section}
	| {kind: 'empty'; key: string; text: string}
	| {kind: 'row'; key: string; row: Row; section: Section};

/** The flattened list: display lines, the selectable row keys in order, and the row count. */
export interface Flattened {
	lines: DisplayLine[];
	keys: string[];
	rowCount: number;
	/** Single-section views show their column header above the list instead of inside it. */
	headerSection: Section | undefined;
}

/**
 * Flattens sections to lines. A single section yields only its rows (the column header is drawn
 * fixed above the list); several sections yield a title, a column header and rows (or an
 * empty-state line) each.
 */
export function flatten(sections: readonly Section[]): Flattened {
	const lines: DisplayLine[] = [];
	const keys: string[] = [];
	let rowCount = 0;
	const single = sections.length === 1;
	for (const section of sections) {
		if (!single) {
			lines.push({kind: 'title', key: `title:${section.id}`, text: section.title ?? section.id});
			if (section.rows.length === 0) {
				lines.push({kind: 'empty', key: `empty:${section.id}`, text: section.empty});
				continue;
			}

			lines.push({kind: 'columns', key: `columns:${section.id}`, section});
		}

		for (const row of section.rows) {
			lines.push({kind: 'row', key: row.key, row, section});
			keys.push(row.key);
			rowCount++;
		}
	}

	return {lines, keys, rowCount, headerSection: single ? sections[0] : undefined};
}
