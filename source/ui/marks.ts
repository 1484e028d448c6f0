/**
 * Marks: what makes a row special. Each mark has a glyph AND a colour, so the meaning survives
 * `NO_COLOR` (the glyph alone tells) and colour blindness.
 */
import {GLYPHS} from '../text/index.js';

/** Mark ids, in display order. */
export type Mark = 'marked' | 'missing' | 'orphan' | 'cross-job' | 'in-progress' | 'outside' | 'warning';

/** Glyph, colour (an Ink / chalk colour name) and legend text of a mark. */
export interface MarkStyle {
	glyph: string;
	color: string;
	legend: string;
}

/** The mark table: drives the row glyphs, colours and the legend of the help screen. */
export const MARKS: Record<Mark, MarkStyle> = {
	marked: {glyph: GLYPHS.marked, color: 'redBright', legend: 'marked for quarantine (Space; D moves the marked orphans)'},
	missing: {glyph: GLYPHS.missing, color: 'red', legend: 'missing file(s)'},
	orphan: {glyph: GLYPHS.orphan, color: 'yellow', legend: 'orphan (nothing references it)'},
	'cross-job': {glyph: GLYPHS.crossJob, color: 'magenta', legend: 'references another job'},
	'in-progress': {glyph: GLYPHS.inProgress, color: 'cyan', legend: 'in progress / possibly in progress'},
	outside: {glyph: GLYPHS.outside, color: 'gray', legend: 'outside the scanned tree (not checked)'},
	warning: {glyph: GLYPHS.warning, color: 'yellow', legend: 'warning / unreadable'},
};

/** Display order of marks. */
export const MARK_ORDER: readonly Mark[] = ['marked', 'missing', 'orphan', 'cross-job', 'in-progress', 'outside', 'warning'];

/** The colour a row with these marks is drawn in; `undefined` for plain rows. */
export function rowColor(marks: readonly Mark[]): string | undefined {
	const first = MARK_ORDER.find((mark) => marks.includes(mark) && mark !== 'outside');
	return first === undefined ? undefined : MARKS[first].color;
}
