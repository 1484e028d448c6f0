/** The one-line footer: sort, filter, marks and key hints from the binding table, or a message. */
import {Text} from 'ink';
import {truncateEnd} from '../format.js';
import {formatBytes, formatCount} from '../../text/index.js';
import type {KeyMode} from '../keys.js';
import {footerHints} from '../key-match.js';
import {MARKS} from '../marks.js';
import type {Section, SortKey, ViewType} from '../views/types.js';
import {ascending} from './sort-indicator.js';

/** What a filter leaves of the current list (the footer says it after the filter text). */
export interface FilterTotal {
	rows: number;
	of: number;
	/** Bytes of the orphan rows shown; absent when none is an orphan. */
	orphanBytes?: number;
}

/** Props of {@link Footer}. */
export interface FooterProps {
	view: ViewType;
	sort: SortKey;
	/** The sort order is reversed (`S`). */
	reverse?: boolean;
	filter: string;
	editingFilter: boolean;
	width: number;
	/** Key mode when not browsing or filtering (a panel or the dialog is open). */
	mode?: KeyMode;
	/** Orphans marked for quarantine. */
	marked?: {count: number; bytes: number};
	/** With a filter: the rows it shows of all the view's rows, and the bytes of the orphans among them. */
	filterTotal?: FilterTotal;
	/** A one-shot message (a refusal, a cancellation), shown instead of the hints. */
	message?: string | null;
	/** The lists are out of date (a quarantine ran). */
	stale?: boolean;
}

/**
 * The hints joined, fitted into `width`: when they do not fit, hints are dropped from the middle
 * (marked `…`) so that the first ones and the last two (help, quit) stay readable.
 */
export function fitHints(hints: readonly {keys: string; label: string}[], width: number): string {
	const texts = hints.map((hint) => `${hint.keys} ${hint.label}`);
	const all = texts.join('  ');
	if ([...all].length <= width || texts.length <= 3) {
		return truncateEnd(all, width);
	}

	const tail = texts.slice(-2);
	let head = texts.slice(0, -2);
	while (head.length > 1) {
		head = head.slice(0, -1);
		const text = [...head, '…', ...tail].join('  ');
		if ([...text].length <= width) {
			return text;
		}
	}

	return truncateEnd([...head, '…', ...tail].join('  '), width);
}

/** Footer line. While filtering it shows the filter being typed and the filter keys. */
export function Footer({view, sort, reverse = false, filter, editingFilter, width, mode, marked, filterTotal, message, stale}: FooterProps) {
	const keyMode: KeyMode = mode ?? (editingFilter ? 'filter' : 'browse');
	const hintList = footerHints(keyMode, view);
	const hints = hintList.map((hint) => `${hint.keys} ${hint.label}`).join('  ');
	if (keyMode === 'filter') {
		return (
			<Text wrap="truncate">
				<Text bold color="cyan">{`/${filter}▏`}</Text>
				{truncateEnd(`  ${hints}`, Math.max(0, width - filter.length - 2))}
			</Text>
		);
	}

	const markText = marked && marked.count > 0 ? `${MARKS.marked.glyph} ${formatCount(marked.count)} marked (${formatBytes(marked.bytes)}) · ` : '';
	const staleText = stale ? 'stale: R rescans · ' : '';
	const state = `${markText}${staleText}sort: ${sort} ${ascending({key: sort, reverse}) ? '↑' : '↓'}${filter === '' ? '' : ` · filter: "${filter}"${filterTotalText(filterTotal)}`} │ `;
	const rest = Math.max(0, width - state.length);
	return (
		<Text wrap="truncate">
			<Text bold color={markText === '' ? undefined : MARKS.marked.color}>
				{truncateEnd(state, width)}
			</Text>
			{message ? (
				<Text color={MARKS.warning.color}>{truncateEnd(`${MARKS.warning.glyph} ${message}`, rest)}</Text>
			) : (
				<Text dimColor>{fitHints(hintList, rest)}</Text>
			)}
		</Text>
	);
}

/** ` 1,234 of 60,000 (5.6 GB)`: the rows a filter shows, and their orphans' bytes. */
function filterTotalText(total: FilterTotal | undefined): string {
	if (total === undefined) return '';
	return ` ${formatCount(total.rows)} of ${formatCount(total.of)}${total.orphanBytes === undefined ? '' : ` (${formatBytes(total.orphanBytes)})`}`;
}

/**
 * What a filter leaves: the rows shown of the rows there are, and the bytes of the orphans shown
 * (other views' sizes are not all bytes, so only orphans are summed).
 */
export function shownTotal(all: readonly Section[], shown: readonly Section[]): FilterTotal {
	let rows = 0;
	let of = 0;
	let orphanBytes: number | undefined;
	for (const section of all) of += section.rows.length;
	for (const section of shown) {
		rows += section.rows.length;
		for (const row of section.rows) {
			if (row.orphan !== undefined) orphanBytes = (orphanBytes ?? 0) + Math.max(0, row.orphan.bytes);
		}
	}

	return {rows, of, orphanBytes};
}
