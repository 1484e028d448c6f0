/** The help screen: every binding of the key table, the mark legend and the sort orders. */
import {Box, Text} from 'ink';
import {fit, truncateEnd} from '../format.js';
import {KEY_BINDINGS, KEY_MODES, type KeyMode} from '../keys.js';
import {VIEW_NAMES} from '../key-match.js';
import {MARKS, MARK_ORDER} from '../marks.js';

const MODE_TITLES: Record<KeyMode, string> = {
	browse: 'Keys',
	filter: 'While typing a filter (/)',
	menu: 'In the go-to-view menu (v)',
	panel: 'In the impact (d) and quarantine result panels',
	dialog: 'In the quarantine confirmation (D): type yes, then ⏎',
	prompt: 'In the keep-last (K) and min-age (M) prompts: type N or an age, then ⏎',
};

/** The help text, one string per line (windowed by {@link Help}). */
export function helpLines(): string[] {
	const lines: string[] = [];
	for (const mode of KEY_MODES) {
		lines.push(MODE_TITLES[mode]);
		for (const binding of KEY_BINDINGS.filter((candidate) => candidate.mode === mode)) {
			const views = binding.views === 'all' ? '' : `  [${binding.views.map((view) => VIEW_NAMES[view]).join(', ')}]`;
			lines.push(`  ${fit(binding.display, 12)} ${binding.label}${views}`);
		}

		lines.push('');
	}

	lines.push('Marks (the glyph carries the meaning; colour only repeats it)');
	for (const mark of MARK_ORDER) {
		lines.push(`  ${MARKS[mark].glyph}  ${MARKS[mark].legend}`);
	}

	lines.push(
		'',
		'Mouse: the wheel scrolls, a click selects a row, a double click opens it (as ⏎); Shift + drag selects text.',
		'Sort (s): name ascending, size descending, time newest first; the cursor stays on its item.',
		'Read-only unless fcx was started with --allow-delete; D then moves marked orphans to .fcx-quarantine/ (restorable).',
		'Press ? or Esc to close, ↑↓ to scroll.',
	);
	return lines;
}

/** Props of {@link Help}. */
export interface HelpProps {
	top: number;
	width: number;
	height: number;
}

/** The help overlay, scrolled to `top`. */
export function Help({top, width, height}: HelpProps) {
	const lines = helpLines();
	const visible = lines.slice(top, top + height);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{visible.map((line, index) => (
				<Text key={top + index} bold={!line.startsWith(' ') && line !== ''} wrap="truncate">
					{truncateEnd(line, width)}
				</Text>
			))}
		</Box>
	);
}
