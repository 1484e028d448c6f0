/** The details pane of the selected row. */
import {Box, Text} from 'ink';
import {fit, truncateMiddle, wrapColumns} from '../format.js';
import {MARKS} from '../marks.js';
import type {DetailLine} from '../views/types.js';

/** Props of {@link Details}. */
export interface DetailsProps {
	lines: readonly DetailLine[];
	width: number;
	height: number;
	/** Drawn to the right of the list (with a left rule) or below it (with a top rule). */
	placement: 'side' | 'below';
}

/** Label column: as wide as the longest label, within these bounds. */
const MIN_LABEL_WIDTH = 8;
const MAX_LABEL_WIDTH = 16;

/** A detail line as drawn: its label (empty on continuation lines), mark and text. */
interface DrawnLine {
	label: string;
	mark: DetailLine['mark'];
	text: string;
	continued: boolean;
}

/**
 * The lines to draw in `height` rows. Values that are too wide wrap onto continuation lines: a
 * marked line (an error, a warning, missing files) even if lines at the end must then be left out,
 * the others only into rows left over, from the top. A value that does not wrap is truncated in
 * the middle. When lines are left out, the last row says how many.
 */
export function detailRows(lines: readonly DetailLine[], valueWidth: (line: DetailLine) => number, height: number): DrawnLine[] {
	const count = lines.length;
	// Lines shown (a prefix), plus a row saying how many more when that is not all of them.
	let shownCount = count <= height ? count : Math.max(0, height - 1);
	let extraRows = 0;
	const rows = (shown: number, extra: number) => shown + extra + (shown < count ? 1 : 0);
	const wrapped = lines.map((line) => wrapColumns(line.value, valueWidth(line)));
	const wraps = new Set<number>();
	const order = lines.map((_, index) => index).sort((a, b) => Number(lines[a].mark === undefined) - Number(lines[b].mark === undefined) || a - b);
	for (const index of order) {
		const extra = wrapped[index].length - 1;
		if (extra === 0 || index >= shownCount) {
			continue;
		}

		if (lines[index].mark !== undefined) {
			while (rows(shownCount, extraRows + extra) > height && shownCount - 1 > index) {
				shownCount--;
				for (const wrappedIndex of wraps) {
					if (wrappedIndex >= shownCount) {
						wraps.delete(wrappedIndex);
						extraRows -= wrapped[wrappedIndex].length - 1;
					}
				}
			}
		}

		if (rows(shownCount, extraRows + extra) <= height) {
			wraps.add(index);
			extraRows += extra;
		}
	}

	const drawn = lines
		.slice(0, shownCount)
		.flatMap((line, index): DrawnLine[] =>
			wraps.has(index)
				? wrapped[index].map((text, part) => ({label: part === 0 ? line.label : '', mark: line.mark, text, continued: part > 0}))
				: [{label: line.label, mark: line.mark, text: truncateMiddle(line.value, valueWidth(line)), continued: false}],
		);
	if (shownCount < count) {
		drawn.push({label: '', mark: undefined, text: `… ${count - shownCount} more`, continued: false});
	}

	return drawn;
}

/** Label / value lines, long values wrapped while there is room, else truncated in the middle; cut to `height` lines. */
export function Details({lines, width, height, placement}: DetailsProps) {
	const inner = placement === 'side' ? width - 2 : width;
	const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, ...lines.map((line) => line.label.length + 1)));
	const bodyHeight = placement === 'side' ? height : height - 1;
	const shown = detailRows(lines, (line) => inner - labelWidth - (line.mark ? 2 : 0), bodyHeight);
	const body = (
		<Box flexDirection="column" width={inner} height={bodyHeight}>
			{shown.length === 0 ? <Text dimColor>Nothing selected.</Text> : null}
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate">
					<Text dimColor>{fit(line.label, labelWidth - 1)} </Text>
					<Text color={line.mark ? MARKS[line.mark].color : undefined}>
						{line.mark ? (line.continued ? '  ' : `${MARKS[line.mark].glyph} `) : ''}
						{line.text}
					</Text>
				</Text>
			))}
		</Box>
	);
	if (placement === 'side') {
		return (
			<Box width={width} height={height} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} paddingLeft={1}>
				{body}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text dimColor>{'─'.repeat(width)}</Text>
			{body}
		</Box>
	);
}
