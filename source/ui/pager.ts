/**
 * The current list or panel as plain text for `$PAGER` (`p`) and for an export of the view (`e`
 * TSV, `E` JSON): every row, every cell whole (the screen cuts long paths; these do not); control
 * characters shown as `\xHH`.
 */
import {spawnSync} from 'node:child_process';
import process from 'node:process';
import {formatCountOf, visibleControls, visibleLines} from '../text/index.js';
import {MARKS} from './marks.js';
import type {ExportView} from './services.js';
import type {Row, Section, ViewType} from './views/types.js';

/** How {@link sectionLines} writes a section's lines. */
export interface LineFormat {
	/** The column titles line (`titles`: the sections' column titles). */
	header: (titles: readonly string[]) => string;
	row: (row: Row) => string;
	/** A section's title, when the list has several sections. */
	title: (text: string) => string;
	/** The line of a section without rows (its empty text). */
	empty: (text: string) => string | undefined;
}

/** The pager's lines: mark glyphs first, cells two spaces apart. */
export const PAGER_FORMAT: LineFormat = {
	header: (titles) => ['  ', ...titles].join('  '),
	row: (row) =>
		[
			row.marks
				.map((mark) => MARKS[mark].glyph)
				.join('')
				.padEnd(2),
			...row.cells,
		].join('  '),
	title: (text) => text,
	empty: (text) => `  ${text}`,
};

/** One TSV field: tab, line breaks and backslashes escaped as `\t`, `\n`, `\r`, `\\` (so a field is one line), other control characters as `\xHH`. */
function tsvField(text: string): string {
	return visibleControls(text.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r'));
}

/** TSV lines: a `Marks` column (mark names joined by `,`), then the cells; a section's title as a `# title` line. */
export const TSV_FORMAT: LineFormat = {
	header: (titles) => ['Marks', ...titles].map(tsvField).join('\t'),
	row: (row) => [row.marks.join(','), ...row.cells].map(tsvField).join('\t'),
	title: (text) => `# ${tsvField(text)}`,
	empty: () => undefined,
};

/**
 * The lines of `sections` in `format` (default: the pager's): a title per section when there are
 * several, the column titles, then the rows (or the section's empty text), a blank line after each
 * section of several.
 */
export function sectionLines(sections: readonly Section[], format: LineFormat = PAGER_FORMAT): string[] {
	const lines: string[] = [];
	for (const section of sections) {
		if (sections.length > 1 && section.title !== undefined) lines.push(format.title(section.title));
		lines.push(format.header(section.columns.map((column) => column.title)));
		const empty = section.rows.length === 0 ? format.empty(section.empty) : undefined;
		if (empty !== undefined) lines.push(empty);
		for (const row of section.rows) lines.push(format.row(row));
		if (sections.length > 1) lines.push('');
	}

	return lines;
}

/** What a JSON export says about the list it holds. */
export interface ExportHeading {
	/** The breadcrumb of the view (`Jobs › Orphans`). */
	view: string;
	sort: string;
	reverse: boolean;
	filter: string;
}

/**
 * The JSON of an export: the heading's fields, then per section its title, column titles and rows,
 * each row `{marks: [names], cells: {title: text}}` (a title that repeats in a section gets ` (2)`).
 */
export function sectionsJson(heading: ExportHeading, sections: readonly Section[]): string {
	const json = sections.map((section) => {
		const titles = section.columns.map((column, index) => {
			const before = section.columns.slice(0, index).filter((other) => other.title === column.title).length;
			return before === 0 ? column.title : `${column.title} (${before + 1})`;
		});
		return {
			title: section.title ?? section.id,
			columns: titles,
			rows: section.rows.map((row) => ({marks: row.marks, cells: Object.fromEntries(titles.map((title, index) => [title, row.cells[index] ?? '']))})),
		};
	});
	return `${JSON.stringify({...heading, sections: json}, null, 1)}\n`;
}

/**
 * Exports `sections` (the current list: sorted, filtered) as TSV or JSON through `write`, to a file
 * named after the view (`fcx-orphans`, `fcx-referenced-by`). Returns the footer's message: the
 * rows and the file written, or why it could not be.
 */
export function exportSections(write: ExportView, format: 'tsv' | 'json', heading: ExportHeading, sections: readonly Section[], view: ViewType): string {
	const rows = sections.reduce((count, section) => count + section.rows.length, 0);
	const content = format === 'json' ? sectionsJson(heading, sections) : `${sectionLines(sections, TSV_FORMAT).join('\n')}\n`;
	const name = `fcx-${view.replaceAll(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
	try {
		const written = write({name, extension: format, content});
		return `wrote ${visibleControls(written)} (${formatCountOf(rows, 'row')})`;
	} catch (error) {
		return `export failed: ${visibleControls(error instanceof Error ? error.message : String(error))}`;
	}
}

/**
 * Runs `$PAGER` (default `less`) through the shell on `lines`, waiting for it to end; the caller
 * gives the terminal up first. Returns an error message when the pager could not run, else `undefined`.
 */
export function runPager(lines: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
	const command = env.PAGER === undefined || env.PAGER.trim() === '' ? 'less' : env.PAGER;
	const result = spawnSync('/bin/sh', ['-c', command], {input: visibleLines(lines), stdio: ['pipe', 'inherit', 'inherit']});
	// EPIPE only says the pager stopped reading before the end (`q` in less, or a shell that found
	// no such command): its exit status tells which, so it is not an error of its own.
	const stoppedReading = result.error !== undefined && 'code' in result.error && result.error.code === 'EPIPE';
	if (result.error && !stoppedReading) return `the pager (${command}) could not run: ${result.error.message}`;
	return result.status === 127 ? `the pager (${command}) was not found: set PAGER` : undefined;
}
