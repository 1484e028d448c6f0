/**
 * The explorer: header, breadcrumb, windowed list, details pane and footer, laid out for the
 * terminal size. State lives in `useExplorerState`, keys in `useExplorerKeys`; this only renders.
 */
import {Box, Text, useApp, useStdout} from 'ink';
import {useEffect, useMemo, useRef} from 'react';
import type {Analysis} from '../analysis/types.js';
import {Details} from './components/details.js';
import {Footer, shownTotal} from './components/footer.js';
import {Header} from './components/header.js';
import {Help, helpLines} from './components/help.js';
import {ImpactPanel, impactLines, impactMax, impactTitle} from './components/impact.js';
import {ConfirmDialog, markedBytes, QuarantinePanel, quarantineLines, quarantineMax} from './components/quarantine.js';
import {ViewMenu} from './components/view-menu.js';
import {KeepLastPrompt, RetentionPanel, retentionLines, retentionMax, retentionTitle} from './components/retention.js';
import {MinAgePrompt} from './components/prompt.js';
import {markable, minAgeView} from './min-age.js';
import type {KeyMode} from './keys.js';
import {DEFAULT_SERVICES, impactOf, retentionOf, type ExplorerServices, type ExportView, type QuarantineOrphans} from './services.js';
import {ColumnHeader, listWidths, WindowedList} from './components/windowed-list.js';
import {truncateMiddle} from './format.js';
import {formatCount} from '../text/index.js';
import {useExplorerKeys, type TypeAhead} from './use-explorer-keys.js';
import {osc52} from './clipboard.js';
import {exportSections, sectionLines} from './pager.js';
import {carryOver, currentFrame, pinSelected, selectedIndex, useExplorerState, type ExplorerState} from './use-explorer-state.js';
import {useTerminalSize} from './use-terminal-size.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {filterSections, flatten, sortSections} from './views/arrange.js';
import {cachedView, indexAnalysis, viewCrumb, viewExists} from './views/build.js';
import {ORPHANS, useIdleFilterPreparation, useIdlePreparation} from './use-idle-preparation.js';
import type {FrameCounter} from './frames.js';

export {computeLayout, MIN_COLUMNS, MIN_ROWS, WIDE_COLUMNS, type Layout} from './layout.js';

/** Screen lines above the list: the header's two and the breadcrumb (then the summary, if any, and the column header). */
const LINES_ABOVE_LIST = 3;

/** Props of {@link Explorer}. */
export interface ExplorerProps {
	analysis: Analysis;
	title?: string;
	/** The stores the roots are on, shown in the header (`s3://bucket via …`, `listing FILE`); none for local roots. */
	store?: string;
	/** Called on `q` / Ctrl-C; default: exit the Ink app. */
	onQuit?: () => void;
	/** Marking and quarantining orphans is allowed (`--allow-delete`); default false: read-only. */
	allowDelete?: boolean;
	/** Moves exactly the given orphan paths into the quarantine (with its re-checks); needed to act on `D`. */
	onQuarantine?: QuarantineOrphans;
	/**
	 * Rescans the tree (`R`, and by itself after a quarantine), handed the state to carry over to
	 * the fresh explorer (see `carryOver`); without it `R` says to re-run fcx.
	 */
	onRescan?: (state: ExplorerState) => void;
	/** Puts text on the clipboard (`y`); default: OSC 52 written to the terminal. */
	copyText?: (text: string) => void;
	/** Gives the terminal to `$PAGER` on the lines (`p`); an error message when it could not run. Without it `p` says it is not available. */
	showInPager?: (lines: string[]) => string | undefined;
	/** Writes an export of the current list (`e` TSV, `E` JSON) to a new file; without it `e` says it is not available. */
	onExport?: ExportView;
	/** Keys typed while the tree was loading, acted on first (type-ahead). */
	typedAhead?: TypeAhead;
	/** The state to start from (after a rescan: the previous explorer's, see `carryOver`); default the Jobs view. */
	initialState?: ExplorerState;
	/** Lineage and what-if implementations (default: the analysis module's); for tests. */
	services?: ExplorerServices;
	/**
	 * Ink's frames as they are drawn (`renderExplorer`): the views are prepared ahead only once the
	 * frame that shows the current one is out. Without it (tests: ink-testing-library draws each
	 * commit at once), from the turn after the commit.
	 */
	frames?: FrameCounter;
	/** The clock stamping input as it arrives (a double click is two clicks within 400 ms), epoch ms; default `Date.now`; for tests. */
	now?: () => number;
}

/** The explorer of an analysis. */
export function Explorer({
	analysis,
	title = 'Flink checkpoint explorer',
	store,
	onQuit,
	allowDelete = false,
	onQuarantine,
	onRescan,
	initialState,
	typedAhead,
	copyText,
	showInPager,
	onExport,
	services = DEFAULT_SERVICES,
	now,
	frames,
}: ExplorerProps) {
	const {exit} = useApp();
	const {stdout} = useStdout();
	const {columns, rows} = useTerminalSize();
	const index = useMemo(() => indexAnalysis(analysis, services), [analysis, services]);
	const [state, dispatch] = useExplorerState(
		useMemo(
			() =>
				initialState === undefined
					? undefined
					: carryOver(
							initialState,
							(view) => viewExists(index, view),
							// A mark stays on an orphan the fresh analysis may still delete: not one now in progress or younger than the age of M.
							(path) => markable(analysis, initialState.minAgeMs, index.orphanAt(path)),
						),
			// Only the first value counts (the reducer's initial state).
			// eslint-disable-next-line react-hooks/exhaustive-deps
			[],
		),
	);
	const impact = useMemo(() => (state.impact === null ? undefined : impactOf(services, analysis, state.impact.targets)), [services, analysis, state.impact]);
	const retention = useMemo(
		() => (state.keepLast === null ? undefined : retentionOf(services, analysis, state.keepLast)),
		[services, analysis, state.keepLast],
	);
	const markedSet = useMemo(() => new Set(state.marked), [state.marked]);
	const minAge = useMemo(() => minAgeView(analysis, state.minAgeMs), [analysis, state.minAgeMs]);
	const frame = currentFrame(state);
	const model = useMemo(() => cachedView(index, frame.view), [index, frame.view]);
	const sorted = useMemo(() => sortSections(model.sections, frame.sort, frame.reverse), [model, frame.sort, frame.reverse]);
	const order = useMemo(() => ({key: frame.sort, reverse: frame.reverse}), [frame.sort, frame.reverse]);
	const filtered = useMemo(() => filterSections(sorted, frame.filter), [sorted, frame.filter]);
	const flat = useMemo(() => flatten(filtered), [filtered]);
	const filterTotal = useMemo(() => (frame.filter === '' ? undefined : shownTotal(sorted, filtered)), [sorted, filtered, frame.filter]);
	const selected = selectedIndex(frame, flat.keys);
	const selectedKey = selected === -1 ? undefined : flat.keys[selected];
	// After a quarantine the lists are stale: rescan by itself, keeping the result panel and the place.
	const finished = state.quarantine !== null && state.quarantine.state !== 'running';
	// The rescan carries the selected row by key (a cursor never moved is only a position; rows may appear before it).
	const rescan = onRescan ? () => onRescan(pinSelected(state, selectedKey)) : undefined;
	useEffect(() => {
		if (finished && state.stale) {
			rescan?.();
		}
		// Once per quarantine: `stale` turns true when it ends.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, [finished, state.stale]);
	const selectedLine = useMemo(() => {
		if (selectedKey === undefined) {
			return -1;
		}

		return flat.headerSection ? selected : flat.lines.findIndex((line) => line.key === selectedKey);
	}, [flat, selected, selectedKey]);
	const selectedEntry = selectedLine === -1 ? undefined : flat.lineAt(selectedLine);
	useIdleFilterPreparation(sorted);
	const selectedRow = selectedEntry?.kind === 'row' ? selectedEntry.row : undefined;
	// What Enter opens (and the walk down from it), then the orphans view.
	const opens = state.overlay === 'none' && !state.editingFilter ? selectedRow?.open : undefined;
	useIdlePreparation(index, opens === undefined ? [ORPHANS] : [{view: opens, walkDown: true}, ORPHANS], frames);

	const layout = computeLayout(columns, rows, model.summary !== undefined, Math.max(1, flat.lineCount) + (flat.headerSection ? 1 : 0));
	const listBodyHeight = Math.max(1, layout.mainHeight - (flat.headerSection ? 1 : 0));
	// The first list line drawn (told by the windowed list) and the screen line of the list's first: where a click lands.
	const windowTop = useRef(0);
	const listBodyLine = LINES_ABOVE_LIST + (model.summary === undefined ? 0 : 1) + (flat.headerSection ? 1 : 0);
	const helpHeight = layout.mainHeight + layout.detailsBelowHeight;
	let scrollMax = 0;
	if (state.overlay === 'help') {
		scrollMax = helpLines().length - helpHeight;
	} else if (state.overlay === 'impact' && impact !== undefined) {
		scrollMax = impactMax(index, impact, columns, helpHeight);
	} else if (state.overlay === 'retention' && retention !== undefined) {
		scrollMax = retentionMax(retention, analysis.roots, helpHeight, minAge.gone);
	} else if (state.overlay === 'result' && state.quarantine !== null) {
		scrollMax = quarantineMax(index, state.quarantine, columns, helpHeight, state.stale);
	}

	const startQuarantine = onQuarantine
		? () => {
				const paths = [...state.marked];
				dispatch({type: 'quarantineStart'});
				(state.minAgeMs === null ? onQuarantine(paths) : onQuarantine(paths, {minAgeMs: minAge.effectiveMs})).then(
					(result) => dispatch({type: 'quarantineDone', result}),
					(error: unknown) => dispatch({type: 'quarantineFailed', error: error instanceof Error ? error.message : String(error)}),
				);
			}
		: undefined;
	useExplorerKeys({
		state,
		dispatch,
		keys: flat.keys,
		selectedRow,
		pageSize: Math.max(1, listBodyHeight - 1),
		helpPageSize: Math.max(1, helpHeight - 1),
		helpMax: scrollMax,
		onQuit: onQuit ?? (() => exit()),
		allowDelete,
		viewImpact: model.impact,
		startQuarantine,
		commandLineMinAgeMs: analysis.minAgeMs,
		keptSince: minAge.since,
		markedKeptAt: (ageMs) => state.marked.filter((path) => !markable(analysis, ageMs, index.orphanAt(path))),
		onRescan: rescan,
		typedAhead,
		now,
		copyText: copyText ?? ((text) => stdout.write(osc52(text))),
		matchingKeys: (text) => new Set(flatten(filterSections(sorted, text)).keys),
		shownOrphans: () => filtered.flatMap((section) => section.rows.flatMap((row) => (row.orphan === undefined ? [] : [row.orphan]))),
		showInPager,
		rowAt(column, line) {
			const offset = line - listBodyLine;
			if (state.overlay !== 'none' || column >= layout.listWidth || offset < 0 || offset >= listBodyHeight) return undefined;
			const entry = flat.lineAt(windowTop.current + offset);
			return entry?.kind === 'row' ? entry.key : undefined;
		},
		exportList:
			onExport === undefined
				? undefined
				: (format) => {
						const heading = {
							view: state.stack.map((entry) => viewCrumb(index, entry.view)).join(' › '),
							sort: frame.sort,
							reverse: frame.reverse,
							filter: frame.filter,
						};
						return exportSections(onExport, format, heading, filtered, frame.view.type);
					},
		pagerLines() {
			if (state.overlay === 'impact' && state.impact !== null && impact !== undefined) {
				return [impactTitle(state.impact).text, '', ...impactLines(index, impact, Number.MAX_SAFE_INTEGER).map((line) => line.text)];
			}

			if (state.overlay === 'retention' && retention !== undefined) {
				return [retentionTitle(retention.keepLast).text, '', ...retentionLines(retention, analysis.roots, minAge.gone).map((line) => line.text)];
			}

			if (state.overlay === 'result' && state.quarantine !== null) {
				return quarantineLines(index, state.quarantine, Number.MAX_SAFE_INTEGER, state.stale).map((line) => line.text);
			}

			const crumb = state.stack.map((entry) => viewCrumb(index, entry.view)).join(' › ');
			return [crumb, ...(model.summary === undefined ? [] : [model.summary]), '', ...sectionLines(filtered)];
		},
	});

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		return <Text wrap="truncate">{`terminal too small (need ${MIN_COLUMNS}×${MIN_ROWS}, have ${columns}×${rows})`}</Text>;
	}

	const crumbs = state.stack.map((entry) => viewCrumb(index, entry.view)).join(' › ');
	// The help and the view menu hide the list: its row counter would count rows not shown.
	const position =
		state.overlay === 'help' || state.overlay === 'menu' ? '' : flat.rowCount === 0 ? '0/0' : `${formatCount(selected + 1)}/${formatCount(flat.rowCount)}`;
	const crumbWidth = Math.max(10, columns - position.length - 2);
	const isEmpty = flat.rowCount === 0 && flat.lineCount === 0;
	const emptyText =
		frame.filter !== '' && model.sections.some((section) => section.rows.length > 0) ? `No rows match the filter "${frame.filter}".` : model.empty;

	let main;
	if (state.overlay === 'help') {
		main = <Help top={state.helpTop} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'menu') {
		main = <ViewMenu analysis={analysis} lineageCount={index.lineage().edges.length} width={columns} height={helpHeight} selected={state.menuIndex} />;
	} else if (state.overlay === 'impact' && state.impact !== null && impact !== undefined) {
		main = <ImpactPanel index={index} target={state.impact} result={impact} top={state.helpTop} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'keepLast') {
		main = <KeepLastPrompt typed={state.promptText} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'minAge') {
		main = <MinAgePrompt typed={state.promptText} commandLineMs={analysis.minAgeMs} currentMs={minAge.effectiveMs} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'retention' && retention !== undefined) {
		main = <RetentionPanel result={retention} roots={analysis.roots} gone={minAge.gone} top={state.helpTop} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'confirm') {
		main = <ConfirmDialog index={index} paths={state.marked} typed={state.confirmText} width={columns} height={helpHeight} />;
	} else if (state.overlay === 'result' && state.quarantine !== null) {
		main = <QuarantinePanel index={index} quarantine={state.quarantine} top={state.helpTop} width={columns} height={helpHeight} stale={state.stale} />;
	} else {
		const list = (
			<Box flexDirection="column" width={layout.listWidth} height={layout.mainHeight}>
				{flat.headerSection ? (
					<ColumnHeader
						columns={flat.headerSection.columns}
						widths={listWidths(flat.headerSection, layout.listWidth, order)}
						width={layout.listWidth}
						sort={order}
					/>
				) : null}
				{isEmpty || (flat.headerSection && flat.rowCount === 0) ? (
					<Box height={listBodyHeight}>
						<Text wrap="truncate">{`  ${emptyText}`}</Text>
					</Box>
				) : (
					<WindowedList
						key={`${state.stack.length}:${frame.view.type}`}
						lineCount={flat.lineCount}
						lineAt={flat.lineAt}
						selectedLine={selectedLine}
						height={listBodyHeight}
						width={layout.listWidth}
						marked={markedSet}
						keptSince={minAge.since}
						sort={order}
						onWindowTop={(top) => {
							windowTop.current = top;
						}}
					/>
				)}
			</Box>
		);
		const detailLines = selectedRow ? selectedRow.details() : (model.details?.() ?? []);
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

	const overlayCrumb: Partial<Record<typeof state.overlay, string>> = {
		help: 'Help',
		impact: 'Impact (what-if)',
		confirm: 'Confirm quarantine',
		result: 'Quarantine',
		keepLast: 'Keep last',
		minAge: 'Min-age',
		retention: 'Keep last (what-if)',
	};
	const footerMode: KeyMode | undefined =
		state.overlay === 'impact' || state.overlay === 'result' || state.overlay === 'retention'
			? 'panel'
			: state.overlay === 'confirm'
				? 'dialog'
				: state.overlay === 'keepLast' || state.overlay === 'minAge'
					? 'prompt'
					: state.overlay === 'menu'
						? 'menu'
						: undefined;
	return (
		<Box flexDirection="column" width={columns}>
			<Header analysis={analysis} title={title} store={store} width={columns} allowDelete={allowDelete} gone={minAge.gone} />
			<Box width={columns} justifyContent="space-between">
				<Text bold color="cyan" wrap="truncate">
					{truncateMiddle(overlayCrumb[state.overlay] === undefined ? crumbs : `${crumbs} › ${overlayCrumb[state.overlay]}`, crumbWidth)}
				</Text>
				<Text dimColor>{position}</Text>
			</Box>
			{model.summary !== undefined ? <Text wrap="truncate">{truncateMiddle(model.summary, columns)}</Text> : null}
			{main}
			<Footer
				view={frame.view.type}
				sort={frame.sort}
				reverse={frame.reverse}
				filter={frame.filter}
				editingFilter={state.editingFilter}
				width={columns}
				mode={footerMode}
				marked={{count: state.marked.length, bytes: markedBytes(index, state.marked)}}
				filterTotal={filterTotal}
				message={state.message}
				stale={state.stale}
			/>
		</Box>
	);
}
