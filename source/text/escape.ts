/**
 * Terminal-safe text: control characters and escape sequences in names (a file name or a
 * `_metadata` string may hold any) are shown as `\xHH`, never sent to the terminal raw.
 */

/** A control character (C0, DEL, C1); with `g`, or an SGR escape sequence. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_STYLE = /\u001B\[[0-9;]*m|[\u0000-\u001F\u007F-\u009F]/g;

function hexEscape(char: string): string {
	return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * One line of text for a terminal, its control characters written as `\xHH` (C0 with tab and line
 * feed, DEL and C1), except the escape sequences in `keep` (the colours of a {@link styler}, see
 * {@link STYLE_SEQUENCES}). File names and `_metadata` strings may hold any of them: an escape
 * sequence in a name must not move the cursor, set the window title or hide text, and a line feed
 * must not make a line of its own. Text without any (almost all) is returned as it is.
 */
export function visibleControls(text: string, keep?: ReadonlySet<string>): string {
	if (!CONTROL.test(text)) {
		return text;
	}

	return text.replace(CONTROL_OR_STYLE, (match) =>
		match.length === 1 ? hexEscape(match) : keep?.has(match) === true ? match : hexEscape(match[0]) + match.slice(1),
	);
}

/** `lines` as text, each ending with `\n`, each through {@link visibleControls}. */
export function visibleLines(lines: readonly string[], keep?: ReadonlySet<string>): string {
	let text = '';
	for (const line of lines) {
		text += `${visibleControls(line, keep)}\n`;
	}

	return text;
}

/**
 * A message for stderr (`fcx: …`), ending with `\n`: its lines kept, any other control
 * character or escape sequence in it (a path can hold them) shown as `\xNN`, never sent raw.
 */
export function visibleMessage(message: string): string {
	return visibleLines(message.split('\n'));
}
