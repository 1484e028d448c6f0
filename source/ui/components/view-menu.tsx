/** The `v` "go to view" menu, an ink-select-input list. */
import {Box, Text} from 'ink';
import SelectInput from 'ink-select-input';
import type {Analysis} from '../../analysis/types.js';
import {formatCount} from '../format.js';
import type {ViewRef} from '../views/types.js';

/** Props of {@link ViewMenu}. */
export interface ViewMenuProps {
	analysis: Analysis;
	onSelect: (view: ViewRef) => void;
	width: number;
	height: number;
	/** Number of restore edges (lineage view). */
	lineageCount: number;
}

type Target = 'jobs' | 'orphans' | 'missing' | 'warnings' | 'lineage';

/** The menu of top-level views, with their counts. */
export function ViewMenu({analysis, onSelect, width, height, lineageCount}: ViewMenuProps) {
	const items: {label: string; value: Target}[] = [
		{label: `Jobs (${formatCount(analysis.jobs.length)})`, value: 'jobs'},
		{label: `Orphans (${formatCount(analysis.orphans.length)})`, value: 'orphans'},
		{label: `Missing files (${formatCount(analysis.missing.length)})`, value: 'missing'},
		{label: `Warnings (${formatCount(analysis.warnings.length)})`, value: 'warnings'},
		{label: `Lineage (${formatCount(lineageCount)} restores)`, value: 'lineage'},
	];
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold>Go to view (⏎ select, Esc close)</Text>
			<SelectInput items={items} onSelect={(item) => onSelect({type: item.value})} />
		</Box>
	);
}
