/** Flattening of sections into the lines of the windowed list. */
import type {Row, Section} from './types.js';

/** A line of the windowed list. */
export type DisplayLine =
	| {kind: 'title'; key: string; text: string}
	| {kind: 'columns'; key: string; section: Section}
	| {kind: 'empty'; key: string; text: string}
	| {kind: 'row'; key: string; row: Row; section: Section};

/** The flattened list: display lines, the selectable row keys in order, and the row count. */
export interface Flattened {
	/** Number of display lines. */
	lineCount: number;
	/** The display line at `index` (`undefined` outside the list). */
	lineAt: (index: number) => DisplayLine | undefined;
	/** Every display line, in order (made on first use; drawing only needs `lineAt`). */
	readonly lines: readonly DisplayLine[];
	keys: string[];
	rowCount: number;
	/** Single-section views show their column header above the list instead of inside it. */
	headerSection: Section | undefined;
}

/** Flattened single sections, by section (weakly): a view prepared ahead, or sorted back, finds its 100,000 keys made. */
const singles = new WeakMap<Section, Flattened>();

/**
 * Flattens sections to lines. A single section yields only its rows (the column header is drawn
 * fixed above the list), made one by one when asked for (cached per section); several sections
 * yield a title, a column header and rows (or an empty-state line) each.
 */
export function flatten(sections: readonly Section[]): Flattened {
	if (sections.length === 1) {
		const [section] = sections;
		let flat = singles.get(section);
		if (flat === undefined) {
			flat = flattenSingle(section);
			singles.set(section, flat);
		}

		return flat;
	}

	return flattenMany(sections);
}

/** The lines of one section: its rows, made when asked for. */
function flattenSingle(section: Section): Flattened {
	const {rows} = section;
	const keys = new Array<string>(rows.length);
	for (let index = 0; index < rows.length; index++) {
		keys[index] = rows[index].key;
	}

	const lineAt = (index: number): DisplayLine | undefined => {
		const row = rows[index];
		return row === undefined ? undefined : {kind: 'row', key: row.key, row, section};
	};

	let lines: DisplayLine[] | undefined;
	return {
		lineCount: rows.length,
		lineAt,
		get lines() {
			return (lines ??= rows.map((_, index) => lineAt(index)!));
		},
		keys,
		rowCount: rows.length,
		headerSection: section,
	};
}

/** The lines of several sections: a title, a column header and rows (or an empty-state line) each. */
function flattenMany(sections: readonly Section[]): Flattened {
	const lines: DisplayLine[] = [];
	const keys: string[] = [];
	let rowCount = 0;
	for (const section of sections) {
		lines.push({kind: 'title', key: `title:${section.id}`, text: section.title ?? section.id});
		if (section.rows.length === 0) {
			lines.push({kind: 'empty', key: `empty:${section.id}`, text: section.empty});
			continue;
		}

		lines.push({kind: 'columns', key: `columns:${section.id}`, section});
		for (const row of section.rows) {
			lines.push({kind: 'row', key: row.key, row, section});
			keys.push(row.key);
			rowCount++;
		}
	}

	return {lineCount: lines.length, lineAt: (index) => lines[index], lines, keys, rowCount, headerSection: undefined};
}
