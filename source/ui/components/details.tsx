/** The details pane of the selected row. */
import {Box, Text} from 'ink';
import {fit, truncateMiddle} from '../format.js';
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

/** Label / value lines, values truncated in the middle; cut to `height` lines. */
export function Details({lines, width, height, placement}: DetailsProps) {
	const inner = placement === 'side' ? width - 2 : width;
	const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, ...lines.map((line) => line.label.length + 1)));
	const bodyHeight = placement === 'side' ? height : height - 1;
	const shown = lines.length > bodyHeight ? [...lines.slice(0, Math.max(0, bodyHeight - 1)), {label: '', value: `… ${lines.length - bodyHeight + 1} more`}] : lines;
	const body = (
		<Box flexDirection="column" width={inner} height={bodyHeight}>
			{shown.length === 0 ? <Text dimColor>Nothing selected.</Text> : null}
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate">
					<Text dimColor>{fit(line.label, labelWidth - 1)} </Text>
					<Text color={line.mark ? MARKS[line.mark].color : undefined}>
						{line.mark ? `${MARKS[line.mark].glyph} ` : ''}
						{truncateMiddle(line.value, inner - labelWidth - (line.mark ? 2 : 0))}
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
