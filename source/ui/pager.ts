/**
 * The current list or panel as plain text for `$PAGER` (`p`): every row, every cell whole (the
 * screen cuts long paths; the pager does not), control characters shown as `\xHH`.
 */
import {spawnSync} from 'node:child_process';
import process from 'node:process';
import {visibleLines} from '../text/index.js';
import {MARKS} from './marks.js';
import type {Section} from './views/types.js';

/** The lines of `sections`: a title per section when there are several, the column titles, then the rows (marks first). */
export function sectionLines(sections: readonly Section[]): string[] {
	const lines: string[] = [];
	for (const section of sections) {
		if (sections.length > 1 && section.title !== undefined) lines.push(section.title);
		lines.push(['  ', ...section.columns.map((column) => column.title)].join('  '));
		if (section.rows.length === 0) lines.push(`  ${section.empty}`);
		for (const row of section.rows) {
			lines.push(
				[
					row.marks
						.map((mark) => MARKS[mark].glyph)
						.join('')
						.padEnd(2),
					...row.cells,
				].join('  '),
			);
		}

		if (sections.length > 1) lines.push('');
	}

	return lines;
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
