/**
 * The `v` "go to view" menu, drawn by ink-select-input. The explorer's key hook moves the highlight
 * and selects (`menuMove`, `menuSelect`): ink-select-input's own key handler reads its highlight
 * from the last render, so keys arriving together (Down Down Enter) selected the first entry.
 */
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import {countJobs} from '../../analysis/jobs.js';
import type {Analysis} from '../../analysis/types.js';
import {quarantinedBytes} from '../../report/quarantines.js';
import {formatBytes, formatCount} from '../../text/index.js';
import {MENU_VIEWS} from '../use-explorer-state.js';

/** Props of {@link ViewMenu}. */
export interface ViewMenuProps {
	analysis: Analysis;
	/** The highlighted entry, an index in `MENU_VIEWS`. */
	selected: number;
	width: number;
	height: number;
	/** Number of restore edges (lineage view). */
	lineageCount: number;
}

/** The menu of top-level views, with their counts. */
export function ViewMenu({analysis, selected, width, height, lineageCount}: ViewMenuProps) {
	const labels: Record<(typeof MENU_VIEWS)[number], string> = {
		jobs: `Jobs (${formatCount(countJobs(analysis))})`,
		orphans: `Orphans (${formatCount(analysis.orphans.length)})`,
		orphanDirs: 'Orphans by directory',
		missing: `Missing files (${formatCount(analysis.missing.length)}${analysis.damaged.length > 0 ? `, ${formatCount(analysis.damaged.length)} damaged` : ''})`,
		warnings: `Warnings (${formatCount(analysis.warnings.length)})`,
		lineage: `Lineage (${formatCount(lineageCount)} restores)`,
		quarantines: `Quarantines (${formatCount((analysis.quarantines ?? []).reduce((n, q) => n + q.runs.length, 0))} clean runs, ${formatBytes(quarantinedBytes(analysis))} held)`,
	};
	const items = MENU_VIEWS.map((value) => ({label: labels[value], value}));
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold>Go to view (⏎ select, Esc close)</Text>
			{/* Not focused: it only draws. A new key per highlight applies `initialIndex`. */}
			<SelectInput key={selected} items={items} isFocused={false} initialIndex={selected} />
		</Box>
	);
}
