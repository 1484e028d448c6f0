/**
 * A windowed list: renders only the visible lines of a possibly huge list (100,000 rows) and keeps
 * the selected line in view, scrolling as little as possible.
 */
import {Box, Text} from 'ink';
import {memo, useRef} from 'react';
import {fit, shortJobId, textWidth, truncateEnd} from '../format.js';
import {MARKS, MARK_ORDER, rowColor, type Mark} from '../marks.js';
import type {DisplayLine} from '../views/arrange.js';
import type {Column, Row, SortOrder} from '../views/types.js';
import {headerTitles} from './sort-indicator.js';

/** Width of the cursor (`❯ `) and marks (`✗⊘↗ `) prefix of every row. */
export const PREFIX_WIDTH = 6;

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
 * Cell widths for a list `width` columns wide: fixed widths, the flex column takes the rest. When
 * they do not all fit, columns are left out (width 0) from the right, never the first nor the
 * flex one: a column cut short shows only "…". `optional` columns are left out first, also when the
 * flex column would otherwise be narrower than its `idealWidth`.
 */
export function columnWidths(columns: readonly Column[], width: number): number[] {
	const available = width - PREFIX_WIDTH;
	const flexIndex = columns.findIndex((column) => column.width === 'flex');
	const flexMin = flexIndex === -1 ? 0 : (columns[flexIndex].minWidth ?? 8);
	const widths = columns.map((column) => (column.width === 'flex' ? 0 : column.width));
	let shown = columns.length;
	const used = (): number => widths.reduce((sum, cell) => sum + cell, 0) + flexMin + Math.max(0, shown - 1);
	const ideal = flexIndex === -1 ? 0 : (columns[flexIndex].idealWidth ?? 0);
	for (let index = columns.length - 1; index > 0 && (used() > available || (ideal > 0 && available - (used() - flexMin) < ideal)); index--) {
		if (columns[index].optional === true) {
			widths[index] = 0;
			shown--;
		}
	}

	for (let index = columns.length - 1; index > 0 && used() > available; index--) {
		if (index !== flexIndex && widths[index] > 0) {
			widths[index] = 0;
			shown--;
		}
	}

	if (flexIndex !== -1) {
		widths[flexIndex] = Math.max(flexMin, available - (used() - flexMin));
	}

	return widths;
}

/** The cells of a row (or the column titles) laid out in `widths` (columns of width 0 left out). */
export function layoutCells(cells: readonly string[], columns: readonly Column[], widths: readonly number[]): string {
	const parts: string[] = [];
	for (const [index, column] of columns.entries()) {
		if (widths[index] > 0) {
			const cell = cells[index] ?? '';
			parts.push(fit(column.jobId === true && textWidth(cell) > widths[index] ? shortJobId(cell) : cell, widths[index], column.align ?? 'left'));
		}
	}

	return parts.join(' ');
}

/**
 * Column header line of a section. Components get the columns, never the section: its rows (up
 * to 100,000) would be walked by React's development-mode prop diffing on every change.
 */
export function ColumnHeader({columns, width, sort}: {columns: readonly Column[]; width: number; sort?: SortOrder}) {
	const widths = columnWidths(columns, width);
	const text = ' '.repeat(PREFIX_WIDTH) + layoutCells(headerTitles(columns, widths, sort), columns, widths);
	return (
		<Text bold wrap="truncate">
			{truncateEnd(text, width)}
		</Text>
	);
}

/** One row; memoised, so moving the cursor redraws only the rows whose props changed. */
const RowLine = memo(function RowLine({
	row,
	columns,
	selected,
	width,
	marked,
}: {
	row: Row;
	columns: readonly Column[];
	selected: boolean;
	width: number;
	marked: boolean;
}) {
	const widths = columnWidths(columns, width);
	const rowMarks: Mark[] = marked ? ['marked', ...row.marks] : row.marks;
	const marks = MARK_ORDER.filter((mark) => rowMarks.includes(mark));
	const glyphs = marks.slice(0, 3);
	const cells = truncateEnd(layoutCells(row.cells, columns, widths), width - PREFIX_WIDTH);
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
function lineElement(line: DisplayLine, selected: boolean, width: number, marked?: ReadonlySet<string>, sort?: SortOrder) {
	switch (line.kind) {
		case 'title':
			return (
				<Text key={line.key} bold underline wrap="truncate">
					{truncateEnd(line.text, width)}
				</Text>
			);
		case 'columns':
			return <ColumnHeader key={line.key} columns={line.section.columns} width={width} sort={sort} />;
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
					selected={selected}
					width={width}
					marked={line.row.orphan !== undefined && marked?.has(line.row.orphan.path) === true}
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
	/** Told the index of the first line drawn, on every render (where a mouse click lands). */
	onWindowTop?: (top: number) => void;
}

/** Renders the `height` lines around the selection; nothing else is laid out. */
export function WindowedList({lineCount, lineAt, selectedLine, height, width, marked, sort, onWindowTop}: WindowedListProps) {
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
			{visible.map((line, offset) => lineElement(line, top + offset === selectedLine, width, marked, sort))}
		</Box>
	);
}
