/** The one-line footer: sort, filter and key hints from the binding table. */
import {Text} from 'ink';
import {truncateEnd} from '../format.js';
import {footerHints} from '../keys.js';
import type {SortKey, ViewType} from '../views/types.js';

/** Props of {@link Footer}. */
export interface FooterProps {
	view: ViewType;
	sort: SortKey;
	filter: string;
	editingFilter: boolean;
	width: number;
}

const SORT_LABELS: Record<SortKey, string> = {name: 'name ↑', size: 'size ↓', time: 'time ↓'};

/** Footer line. While filtering it shows the filter being typed and the filter keys. */
export function Footer({view, sort, filter, editingFilter, width}: FooterProps) {
	const hints = footerHints(editingFilter ? 'filter' : 'browse', view)
		.map((hint) => `${hint.keys} ${hint.label}`)
		.join('  ');
	if (editingFilter) {
		return (
			<Text wrap="truncate">
				<Text bold color="cyan">{`/${filter}▏`}</Text>
				{truncateEnd(`  ${hints}`, Math.max(0, width - filter.length - 2))}
			</Text>
		);
	}

	const state = `sort: ${SORT_LABELS[sort]}${filter === '' ? '' : ` · filter: "${filter}"`} │ `;
	return (
		<Text wrap="truncate">
			<Text bold>{state}</Text>
			<Text dimColor>{truncateEnd(hints, Math.max(0, width - state.length))}</Text>
		</Text>
	);
}
