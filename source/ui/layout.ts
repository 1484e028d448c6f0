/**
 * The explorer's screen regions for a terminal size: the list, the details pane beside it (wide
 * terminals) or below it, and the smallest usable size.
 */

/** Smallest usable terminal. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;
/**
 * From this width on, the details pane sits beside the list: the list keeps at least
 * {@link MIN_SIDE_LIST} columns there, never fewer than the full-width list below it shows at a
 * narrower terminal's 100 (issue 24, defect 2: at 120 it had 77).
 */
export const WIDE_COLUMNS = 140;
/** Columns the list keeps beside the details pane. */
const MIN_SIDE_LIST = 100;

/** Screen regions for a terminal size. */
export interface Layout {
	wide: boolean;
	/** Lines of the list region (column header included). */
	mainHeight: number;
	listWidth: number;
	detailsWidth: number;
	/** Height of the details pane when it is below the list (rule included). */
	detailsBelowHeight: number;
}

/** Fewest lines the list keeps when the details below it take the rows a short list leaves empty. */
const MIN_LIST_LINES = 4;

/**
 * Splits the screen. One line is kept free so that Ink never scrolls the terminal. With the details
 * below the list, the rows a short list (`listLines`: its lines, column header included) leaves
 * empty go to the details.
 */
export function computeLayout(columns: number, rows: number, hasSummary: boolean, listLines = Number.POSITIVE_INFINITY): Layout {
	const usable = rows - 1;
	const wide = columns >= WIDE_COLUMNS;
	let detailsBelowHeight = wide ? 0 : Math.min(12, Math.max(6, Math.floor(usable * 0.35)));
	let mainHeight = Math.max(1, usable - 2 - 1 - (hasSummary ? 1 : 0) - 1 - detailsBelowHeight);
	const spare = wide ? 0 : mainHeight - Math.max(MIN_LIST_LINES, listLines);
	if (spare > 0) {
		mainHeight -= spare;
		detailsBelowHeight += spare;
	}

	const detailsWidth = wide ? Math.max(WIDE_COLUMNS - MIN_SIDE_LIST, Math.min(80, Math.floor(columns * 0.36), columns - MIN_SIDE_LIST)) : columns;
	return {wide, mainHeight, listWidth: wide ? columns - detailsWidth : columns, detailsWidth, detailsBelowHeight};
}
