/** A scrollable text panel drawn instead of the list (the impact of `d`, the result of a quarantine). */
import {Box, Text} from 'ink';
import {truncateEnd} from '../format.js';
import {formatCountOf} from '../../text/index.js';

/** One line of a panel. */
export interface PanelLine {
	text: string;
	color?: string;
	bold?: boolean;
	dim?: boolean;
}

/** Props of {@link Panel}. */
export interface PanelProps {
	/** Always shown, above the scrolled body. */
	title: PanelLine;
	lines: readonly PanelLine[];
	/** First body line shown. */
	top: number;
	width: number;
	height: number;
}

/** Largest useful scroll offset of a panel body of `count` lines in `height` rows (title included). */
export function panelMax(count: number, height: number): number {
	return Math.max(0, count - (height - 1));
}

/** The panel: its title, then `height - 1` body lines from `top`. */
export function Panel({title, lines, top, width, height}: PanelProps) {
	const bodyHeight = Math.max(0, height - 1);
	const visible = lines.slice(top, top + bodyHeight);
	const below = lines.length - top - visible.length;
	const shown =
		below > 0 && visible.length > 0
			? [...visible.slice(0, -1), {text: `… ${formatCountOf(below + 1, 'more line', 'more lines')}: ↓ to scroll`, dim: true}]
			: visible;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold color={title.color} wrap="truncate">
				{truncateEnd(title.text, width)}
			</Text>
			{shown.map((line, index) => (
				<Text key={top + index} color={line.color} bold={line.bold} dimColor={line.dim} wrap="truncate">
					{truncateEnd(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
