/**
 * The explorer: header, breadcrumb, windowed list, details pane and footer, laid out for the
 * terminal size. State lives in `useExplorerState`, keys in `useExplorerKeys`; this only renders.
 */
import {Box, Text, useApp} from 'ink';
import {useMemo} from 'react';
import type {Analysis} from '../analysis/types.js';
import {Details} from './components/details.js';
import {Footer} from './components/footer.js';
import {Header} from './components/header.js';
import {Help, helpLines} from './components/help.js';
import {ViewMenu} from './components/view-menu.js';
import {ColumnHeader, WindowedList} from './components/windowed-list.js';
import {formatCount, truncateMiddle} from './format.js';
import {useExplorerKeys} from './use-explorer-keys.js';
import {currentFrame, selectedIndex, useExplorerState} from './use-explorer-state.js';
import {useTerminalSize} from './use-terminal-size.js';
import {filterSections, flatten, sortSections} from './views/arrange.js';
import {buildView, indexAnalysis, viewCrumb} from './views/build.js';

/** Smallest usable terminal. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;
/** From this width on, the details pane sits beside the list. */
export const WIDE_COLUMNS = 120;

/** Props of {@link Explorer}. */
export interface ExplorerProps {
	analysis: Analysis;
	title?: string;
	/** Called on `q` / Ctrl-C; default: exit the Ink app. */
	onQuit?: () => void;
}

/** Screen regions for a terminal size. */
export interface Layout {
	wide: boolean;
	/** Lines of the list region (column header included). */
	mainHeight: number;
	listWidth: number;
	detailsWidth: number;
	/** Height of the details pane when it is below the list (rule included). */
	detailsBelowHeight: number;
}

/** Splits the screen. One line is kept free so that Ink never scrolls the terminal. */
export function computeLayout(columns: number, rows: number, hasSummary: boolean): Layout {
	const usable = rows - 1;
	const wide = columns >= WIDE_COLUMNS;
	const detailsBelowHeight = wide ? 0 : Math.min(12, Math.max(6, Math.floor(usable * 0.35)));
	const mainHeight = Math.max(1, usable - 2 - 1 - (hasSummary ? 1 : 0) - 1 - detailsBelowHeight);
	const detailsWidth = wide ? Math.min(56, Math.floor(columns * 0.36)) : columns;
	return {wide, mainHeight, listWidth: wide ? columns - detailsWidth : columns, detailsWidth, detailsBelowHeight};
}

/** The explorer of an analysis. */
export function Explorer({analysis, title = 'Flink checkpoint explorer', onQuit}: ExplorerProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [state, dispatch] = useExplorerState();
	const index = useMemo(() => indexAnalysis(analysis), [analysis]);
	const frame = currentFrame(state);
	const model = useMemo(() => buildView(index, frame.view), [index, frame.view]);
	const sorted = useMemo(() => sortSections(model.sections, frame.sort), [model, frame.sort]);
	const filtered = useMemo(() => filterSections(sorted, frame.filter), [sorted, frame.filter]);
	const flat = useMemo(() => flatten(filtered), [filtered]);
	const selected = selectedIndex(frame, flat.keys);
	const selectedKey = selected === -1 ? undefined : flat.keys[selected];
	const selectedLine = useMemo(() => {
		if (selectedKey === undefined) {
			return -1;
		}

		return flat.headerSection ? selected : flat.lines.findIndex((line) => line.key === selectedKey);
	}, [flat, selected, selectedKey]);
	const selectedEntry = selectedLine === -1 ? undefined : flat.lines[selectedLine];
	const selectedRow = selectedEntry?.kind === 'row' ? selectedEntry.row : undefined;

	const layout = computeLayout(columns, rows, model.summary !== undefined);
	const listBodyHeight = Math.max(1, layout.mainHeight - (flat.headerSection ? 1 : 0));
	const helpHeight = layout.mainHeight + layout.detailsBelowHeight;
	useExplorerKeys({
		state,
		dispatch,
		keys: flat.keys,
		selectedRow,
		pageSize: Math.max(1, listBodyHeight - 1),
		helpMax: helpLines().length - helpHeight,
		onQuit: onQuit ?? (() => exit()),
	});

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return <Text wrap="truncate">{`terminal too small (need ${MIN_COLUMNS}×${MIN_ROWS}, have ${columns}×${rows})`}</Text>;
	}

	const crumbs = state.stack.map((entry) => viewCrumb(index, entry.view)).join(' › ');
	const position = flat.rowCount === 0 ? '0/0' : `${formatCount(selected + 1)}/${formatCount(flat.rowCount)}`;
	const crumbWidth = Math.max(10, columns - position.length - 2);
	const isEmpty = flat.rowCount === 0 && flat.lines.length === 0;
	const emptyText = frame.filter !== '' && model.sections.some((section) => section.rows.length > 0) ? `No rows match the filter "${frame.filter}".` : model.empty;

	let main;
	if (state.overlay === 'help') {
		main = <Help top={state.helpTop} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'menu') {
		main = <ViewMenu analysis={analysis} width={columns} height={helpHeight} onSelect={(view) => dispatch({type: 'goTo', view})} />;
	} else {
		const list = (
			<Box flexDirection="column" width={layout.listWidth} height={layout.mainHeight}>
				{flat.headerSection ? <ColumnHeader section={flat.headerSection} width={layout.listWidth} /> : null}
				{isEmpty || (flat.headerSection && flat.rowCount === 0) ? (
					<Box height={listBodyHeight}>
						<Text wrap="truncate">{`  ${emptyText}`}</Text>
					</Box>
				) : (
					<WindowedList key={`${state.stack.length}:${frame.view.type}`} lines={flat.lines} selectedLine={selectedLine} height={listBodyHeight} width={layout.listWidth} />
				)}
			</Box>
		);
		const detailLines = selectedRow ? selectedRow.details() : [];
		main = layout.wide ? (
			<Box flexDirection="row" height={layout.mainHeight}>
				{list}
				<Details lines={detailLines} width={layout.detailsWidth} height={layout.mainHeight} placement="side" />
			</Box>
		) : (
			<Box flexDirection="column">
				{list}
				<Details lines={detailLines} width={columns} height={layout.detailsBelowHeight} placement="below" />
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={columns}>
			<Header analysis={analysis} title={title} width={columns} />
			<Box width={columns} justifyContent="space-between">
				<Text bold color="cyan" wrap="truncate">
					{truncateMiddle(state.overlay === 'help' ? `${crumbs} › Help` : crumbs, crumbWidth)}
				</Text>
				<Text dimColor>{position}</Text>
			</Box>
			{model.summary !== undefined ? <Text wrap="truncate">{truncateMiddle(model.summary, columns)}</Text> : null}
			{main}
			<Footer view={frame.view.type} sort={frame.sort} filter={frame.filter} editingFilter={state.editingFilter} width={columns} />
		</Box>
	);
}
