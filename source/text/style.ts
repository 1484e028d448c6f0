/**
 * Optional ANSI colour for text output (the explorer colours through Ink). Not `util.styleText`:
 * it arrived in Node 20.12 and changed behaviour in 22 (it checks the stream), and `engines` says
 * Node 20; seven fixed styles do not need chalk.
 */

/** ANSI styles used when colour is on. */
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'dim' | 'bold';

const ANSI: Record<Style, [number, number]> = {
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	cyan: [36, 39],
	magenta: [35, 39],
	dim: [2, 22],
	bold: [1, 22],
};

/** The escape sequences a colour {@link styler} writes (`ESC [ 31 m` …), for {@link visibleControls}. */
export const STYLE_SEQUENCES: ReadonlySet<string> = new Set(Object.values(ANSI).flatMap((codes) => codes.map((code) => `\u001B[${code}m`)));

/** A styler: wraps text in ANSI codes when `color` is true, returns it unchanged otherwise. */
export function styler(color: boolean): (style: Style, text: string) => string {
	return (style, text) => (color ? `\u001B[${ANSI[style][0]}m${text}\u001B[${ANSI[style][1]}m` : text);
}
