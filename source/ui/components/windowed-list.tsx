/**
 * A windowed list: renders only the visible lines of a possibly huge list (100,000 rows) and keeps
 * the selected line in view, scrolling as little as possible.
 */
import {Box, Text} from 'ink';
import {memo, useRef} from 'react';
import {layoutCells, PREFIX_WIDTH, sectionWidths} from '../columns.js';
import {fit, truncateEnd} from '../format.js';
import {MARKS, MARK_ORDER, rowColor, type Mark} from '../marks.js';
import type {DisplayLine} from '../views/arrange.js';
import type {Column, Row, Section, SortOrder} from '../views/types.js';
import {glyphColumn, headerText} from './sort-indicator.js';
import {isKept} from '../min-age.js';

/** The first visible line: `previousTop` moved just enough to show `selected`, clamped to the list. */
export function computeWindowTop(previousTop: number, selected: number, height: number, total: number): number {
	let top = previousTop;
	if (selected >= 0) {
		if (selected < top) {
			top = selected;
		} else if (selected >= top + height) {
			top = selected - height + 1;
		}
	}

	return Math.max(0, Math.min(top, total - height));
}

/**
 * Column header line of a section, in the cell widths of `sectionWidths`. Components get the
 * columns and widths, never the section: its rows (up to 100,000) would be walked by React's
 * development-mode prop diffing on every change.
 */
export function ColumnHeader({columns, widths, width, sort}: {columns: readonly Column[]; widths: readonly number[]; width: number; sort?: SortOrder}) {
	const header = headerText(columns, widths, sort, PREFIX_WIDTH);
	const text = truncateEnd(header.text, width);
	if (header.underline === undefined || header.underline[0] >= text.length) {
		return (
			<Text bold wrap="truncate">
				{text}
			</Text>
		);
	}

	const [start, end] = header.underline;
	return (
		<Text bold wrap="truncate">
			{text.slice(0, start)}
			<Text underline>{text.slice(start, end)}</Text>
			{text.slice(end)}
		</Text>
	);
}

/** The cell widths of a section's header and rows in a list `width` wide, sorted in `sort` (the sorted column may get room for its glyph). */
export function listWidths(section: Pick<Section, 'columns' | 'rows'>, width: number, sort: SortOrder | undefined): number[] {
	return sectionWidths(section, width, glyphColumn(section.columns, sort));
}

const KEPT_MARKS: Mark[] = ['in-progress'];

/** One row; memoised, so moving the cursor redraws only the rows whose props changed. */
const RowLine = memo(function RowLine({
	row,
	columns,
	widths,
	selected,
	width,
	marked,
	kept,
}: {
	row: Row;
	columns: readonly Column[];
	/** Cell widths (`sectionWidths`: the same array for every row of a section). */
	widths: readonly number[];
	selected: boolean;
	width: number;
	marked: boolean;
	/** An orphan kept at the min-age of `M`: drawn as possibly in progress. */
	kept: boolean;
}) {
	const own = kept ? KEPT_MARKS : row.marks;
	const rowMarks: Mark[] = marked ? ['marked', ...own] : own;
	const marks = MARK_ORDER.filter((mark) => rowMarks.includes(mark));
	const glyphs = marks.slice(0, 3);
	// Padded to the width, so that the selected row's highlight spans the line.
	const cells = fit(layoutCells(row.cells, columns, widths), width - PREFIX_WIDTH, 'left', 'end');
	const color = rowColor(rowMarks);
	return (
		<Text wrap="truncate" inverse={selected} bold={selected}>
			{selected ? '❯ ' : '  '}
			{glyphs.map((mark) => (
				<Text key={mark} color={MARKS[mark].color}>
					{MARKS[mark].glyph}
				</Text>
			))}
			{' '.repeat(PREFIX_WIDTH - 2 - glyphs.length)}
			<Text color={color}>{cells}</Text>
		</Text>
	);
});

/** The element of a display line (a plain function: the line, and its section, are not props). */
function lineElement(line: DisplayLine, selected: boolean, width: number, marked?: ReadonlySet<string>, sort?: SortOrder, keptSince?: number) {
	switch (line.kind) {
		case 'title':
			return (
				<Text key={line.key} bold underline wrap="truncate">
					{truncateEnd(line.text, width)}
				</Text>
			);
		case 'columns':
			return <ColumnHeader key={line.key} columns={line.section.columns} widths={listWidths(line.section, width, sort)} width={width} sort={sort} />;
		case 'empty':
			return (
				<Text key={line.key} dimColor wrap="truncate">
					{truncateEnd(`  ${line.text}`, width)}
				</Text>
			);
		case 'row':
			return (
				<RowLine
					key={line.key}
					row={line.row}
					columns={line.section.columns}
					widths={listWidths(line.section, width, sort)}
					selected={selected}
					width={width}
					marked={line.row.orphan !== undefined && marked?.has(line.row.orphan.path) === true}
					kept={line.row.orphan !== undefined && keptSince !== undefined && isKept(line.row.orphan, keptSince)}
				/>
			);
	}
}

/** Props of {@link WindowedList}. */
export interface WindowedListProps {
	/** Number of lines. */
	lineCount: number;
	/** The line at an index (only the visible ones are asked for). */
	lineAt: (index: number) => DisplayLine | undefined;
	/** Index of the selected line; -1 for none. */
	selectedLine: number;
	height: number;
	width: number;
	/** Orphan paths marked for quarantine: their rows show `●`. */
	marked?: ReadonlySet<string>;
	/** The list's order: the column headers inside it mark their sorted column. */
	sort?: SortOrder;
	/** Orphans with a newest mtime at or after this (epoch ms) are kept at the min-age of `M`: drawn `…`. */
	keptSince?: number;
	/** Told the index of the first line drawn, on every render (where a mouse click lands). */
	onWindowTop?: (top: number) => void;
}

/** Renders the `height` lines around the selection; nothing else is laid out. */
export function WindowedList({lineCount, lineAt, selectedLine, height, width, marked, sort, keptSince, onWindowTop}: WindowedListProps) {
	const topRef = useRef(0);
	const top = computeWindowTop(topRef.current, selectedLine, height, lineCount);
	topRef.current = top;
	onWindowTop?.(top);
	const visible: DisplayLine[] = [];
	for (let index = top; index < Math.min(top + height, lineCount); index++) {
		const line = lineAt(index);
		if (line !== undefined) {
			visible.push(line);
		}
	}

	return (
		<Box flexDirection="column" width={width} height={height}>
			{visible.map((line, offset) => lineElement(line, top + offset === selectedLine, width, marked, sort, keptSince))}
		</Box>
	);
}
