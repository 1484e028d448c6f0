/**
 * What the bound keys do: the key context the explorer hands over, and one function per action
 * (moves, views, filter, marks, the quarantine dialog, copy, search again, the pager, rescan).
 */
import type {Key} from 'ink';
import {rowPath} from './clipboard.js';
import type {ActionId} from './keys.js';
import {currentFrame, MENU_VIEWS, selectedIndex} from './use-explorer-state.js';
import type {ExplorerKeysContext} from './key-context.js';
import {formatBytes, formatCountOf, formatDuration, visibleControls} from '../text/index.js';
import {isKept, readMinAge} from './min-age.js';
import type {Row, ViewRef} from './views/types.js';
import {classifyPath} from '../tree/index.js';

/** Shown when Space / `D` are pressed without `--allow-delete`. */
export const READ_ONLY_MESSAGE = 'read-only: start with --allow-delete to quarantine orphans';
/** Shown when marking or moving after a quarantine changed the tree. */
export const STALE_MESSAGE = 'the lists are stale after the quarantine: press R to rescan';

export type {ExplorerKeysContext, ShownOrphan, TypeAhead} from './key-context.js';

/**
 * Runs a bound action. Exported for tests of the mapping without a terminal. One short case per
 * action of the key table (over 80 lines: the table's other half, read case by case).
 */
export function runAction(action: ActionId, key: Key, context: ExplorerKeysContext): void {
	const {state, dispatch, keys, selectedRow, pageSize} = context;
	const frame = currentFrame(state);
	switch (action) {
		case 'up':
			dispatch({type: 'move', delta: -1, keys});
			return;
		case 'down':
			dispatch({type: 'move', delta: 1, keys});
			return;
		case 'pageUp':
			dispatch({type: 'move', delta: -pageSize, keys});
			return;
		case 'pageDown':
			dispatch({type: 'move', delta: pageSize, keys});
			return;
		case 'top':
			dispatch({type: 'move', delta: -Infinity, keys});
			return;
		case 'bottom':
			dispatch({type: 'move', delta: Infinity, keys});
			return;
		case 'open':
			if (selectedRow?.open) {
				dispatch({type: 'open', view: selectedRow.open, pin: selectedRow.key});
			}

			return;
		case 'back':
			if (key.escape && frame.filter !== '') {
				dispatch({type: 'filterClear'});
			} else {
				dispatch({type: 'back'});
			}

			return;
		case 'filter':
			dispatch({type: 'filterStart', pin: selectedRow?.key});
			return;
		case 'sort':
			dispatch({type: 'cycleSort', pin: selectedRow?.key});
			return;
		case 'reverseSort':
			dispatch({type: 'reverseSort', pin: selectedRow?.key});
			return;
		case 'orphans':
			dispatch({type: 'open', view: {type: 'orphans'}, pin: selectedRow?.key});
			return;
		case 'keepLast':
			dispatch({type: 'openPrompt', prompt: 'keepLast'});
			return;
		case 'minAge':
			dispatch(
				context.commandLineMinAgeMs === undefined ? {type: 'showMessage', text: 'min-age is not available here'} : {type: 'openPrompt', prompt: 'minAge'},
			);
			return;
		case 'promptSubmit': {
			if (state.overlay === 'minAge') {
				submitMinAge(context);
				return;
			}

			const keepLast = Number(state.promptText);
			dispatch(
				Number.isInteger(keepLast) && keepLast >= 1
					? {type: 'openRetention', keepLast}
					: {type: 'confirmCancel', message: 'keep-last: type how many complete checkpoints per job to keep (1 or more), then Enter'},
			);
			return;
		}
		case 'promptCancel':
			dispatch({type: 'closeOverlay'});
			return;
		case 'promptDelete':
			dispatch({type: 'promptDelete'});
			return;
		case 'orphanDirs':
			dispatch({type: 'open', view: {type: 'orphanDirs'}, pin: selectedRow?.key});
			return;
		case 'referencedBy':
			if (selectedRow?.refPath !== undefined) {
				dispatch({type: 'open', view: {type: 'referencedBy', path: selectedRow.refPath}, pin: selectedRow.key});
			}

			return;
		case 'viewMenu':
			dispatch({type: 'openMenu'});
			return;
		case 'help':
			dispatch({type: 'toggleHelp'});
			return;
		case 'quit':
			context.onQuit();
			return;
		case 'filterAccept':
			dispatch({type: 'filterAccept'});
			return;
		case 'filterClear':
			dispatch({type: 'filterClear'});
			return;
		case 'filterDelete':
			dispatch({type: 'filterDelete'});
			return;
		case 'lineage':
			dispatch({type: 'open', view: {type: 'lineage'}, pin: selectedRow?.key});
			return;
		case 'storage': {
			const jobPath = storageJobPath(frame.view, selectedRow);
			dispatch(
				jobPath === undefined
					? {type: 'showMessage', text: 'u shows the storage of a job: select one'}
					: {type: 'open', view: {type: 'storage', jobPath}, pin: selectedRow?.key},
			);
			return;
		}

		case 'quarantines':
			dispatch({type: 'open', view: {type: 'quarantines'}, pin: selectedRow?.key});
			return;
		case 'openTarget':
			if (selectedRow?.openTarget) {
				dispatch({type: 'open', view: selectedRow.openTarget, pin: selectedRow.key});
			}

			return;
		case 'impact': {
			const target = selectedRow?.impact ?? context.viewImpact;
			dispatch(
				target
					? {type: 'openImpact', target}
					: {type: 'showMessage', text: 'd shows the impact of deleting a checkpoint, savepoint, job or orphan: select one'},
			);
			return;
		}

		case 'mark': {
			const refusal = markRefusal(context);
			if (refusal !== undefined) {
				dispatch({type: 'showMessage', text: refusal});
			} else if (selectedRow?.orphan) {
				dispatch({type: 'toggleMark', path: selectedRow.orphan.path});
			}

			return;
		}
		case 'markShown':
			markShown(context);
			return;
		case 'quarantine':
			if (!context.allowDelete) {
				dispatch({type: 'showMessage', text: READ_ONLY_MESSAGE});
			} else if (state.stale) {
				dispatch({type: 'showMessage', text: STALE_MESSAGE});
			} else if (state.marked.length === 0) {
				dispatch({type: 'showMessage', text: 'nothing marked: Space marks an orphan row, then D moves the marked ones'});
			} else if (!context.startQuarantine) {
				dispatch({type: 'showMessage', text: 'quarantine is not available here'});
			} else {
				dispatch({type: 'openConfirm'});
			}

			return;
		case 'panelClose':
			if (state.quarantine?.state !== 'running') {
				dispatch({type: 'closeOverlay'});
			}

			return;
		case 'dialogSubmit':
			if (state.confirmText === 'yes' && context.startQuarantine) {
				context.startQuarantine();
			} else {
				dispatch({type: 'confirmCancel', message: `cancelled (you typed "${state.confirmText}", not "yes"): nothing was moved`});
			}

			return;
		case 'dialogCancel':
			dispatch({type: 'confirmCancel', message: 'cancelled: nothing was moved'});
			return;
		case 'dialogDelete':
			dispatch({type: 'confirmDelete'});
			return;
		case 'menuSelect':
			dispatch({type: 'goTo', view: {type: MENU_VIEWS[state.menuIndex]}, pin: selectedRow?.key});
			return;
		case 'menuClose':
			dispatch({type: 'closeOverlay'});
			return;
		case 'copyPath':
			copyPath(context);
			return;
		case 'searchNext':
		case 'searchPrevious':
			searchAgain(context, action === 'searchNext' ? 1 : -1);
			return;
		case 'pager': {
			if (context.showInPager === undefined || context.pagerLines === undefined) {
				dispatch({type: 'showMessage', text: 'the pager is not available here'});
				return;
			}

			dispatch({type: 'showMessage', text: context.showInPager(context.pagerLines()) ?? 'back from the pager'});
			return;
		}

		case 'exportTsv':
		case 'exportJson':
			dispatch({type: 'showMessage', text: context.exportList?.(action === 'exportTsv' ? 'tsv' : 'json') ?? 'export is not available here'});
			return;
		case 'rescan':
			if (state.quarantine?.state === 'running') {
				return;
			}

			if (context.onRescan) {
				context.onRescan();
			} else {
				dispatch({type: 'showMessage', text: 'rescan is not available here: press q and re-run fcx'});
			}

			return;
	}
}

/** The job directory `u` shows the storage of: the selected job (Jobs), or the job of the view (its checkpoints, a checkpoint). */
function storageJobPath(view: ViewRef, row: Row | undefined): string | undefined {
	if (view.type === 'checkpoints') return view.jobPath;
	if (view.type === 'checkpoint') return classifyPath(view.checkpointPath).jobDir ?? undefined;
	if (row?.open?.type === 'checkpoints') return row.open.jobPath;
	// A job without checkpoints opens its directory.
	return row?.open?.type === 'directory' ? row.open.path : undefined;
}

/** `y`: copies the selected row's path, and says so (or why not) in the footer. */
function copyPath(context: ExplorerKeysContext): void {
	const path = context.selectedRow === undefined ? undefined : rowPath(context.selectedRow);
	if (path === undefined) {
		context.dispatch({type: 'showMessage', text: 'y copies the path of the selected row: this row has none'});
	} else if (context.copyText === undefined) {
		context.dispatch({type: 'showMessage', text: 'copying is not available here'});
	} else {
		context.copyText(path);
		context.dispatch({type: 'showMessage', text: `copied (OSC 52): ${visibleControls(path)}`});
	}
}

/** `n` / `N`: selects the next (`direction` 1) or previous (-1) row matching the last filter text, wrapping around. */
function searchAgain(context: ExplorerKeysContext, direction: 1 | -1): void {
	const {state, dispatch, keys} = context;
	const text = state.lastSearch;
	if (text === '' || context.matchingKeys === undefined) {
		dispatch({type: 'showMessage', text: 'n / N go to the next / previous row matching the last filter (/): none typed yet'});
		return;
	}

	const matching = context.matchingKeys(text);
	const from = selectedIndex(currentFrame(state), keys);
	for (let step = 1; step <= keys.length; step++) {
		const position = (((from + direction * step) % keys.length) + keys.length) % keys.length;
		if (matching.has(keys[position])) {
			dispatch({type: 'select', key: keys[position], keys});
			const wrapped = direction === 1 ? position <= from : position >= from;
			if (wrapped && position !== from) dispatch({type: 'showMessage', text: `search for "${text}" wrapped around`});
			return;
		}
	}

	dispatch({type: 'showMessage', text: `no row here matches "${text}"`});
}

/**
 * The `M` prompt's Enter: sets the typed age (at least the command line's), unmarks the marked
 * orphans it keeps, and says so; an unreadable age changes nothing.
 */
function submitMinAge(context: ExplorerKeysContext): void {
	const {state, dispatch} = context;
	const {ageMs, message} = readMinAge(state.promptText, context.commandLineMinAgeMs ?? 0);
	if (ageMs === undefined) {
		dispatch({type: 'confirmCancel', message});
		return;
	}

	const unmark = ageMs === null ? [] : (context.markedKeptAt?.(ageMs) ?? []);
	const unmarked = `min-age ${formatDuration(ageMs ?? 0)}: ${formatCountOf(unmark.length, 'marked orphan')} younger than it unmarked, kept`;
	dispatch({type: 'setMinAge', ageMs, message: unmark.length === 0 ? message : unmarked, unmark});
}

/**
 * `A`: marks every orphan the list shows (the filter applies), except those possibly in progress;
 * when all of them are marked already, unmarks them. Marks only ever name orphan paths.
 */
function markShown(context: ExplorerKeysContext): void {
	const {dispatch, state} = context;
	const refusal = deleteRefusal(context);
	if (refusal !== undefined) {
		dispatch({type: 'showMessage', text: refusal});
		return;
	}

	const shown = context.shownOrphans?.() ?? [];
	const since = context.keptSince ?? Number.POSITIVE_INFINITY;
	const eligible = shown.filter((orphan) => !isKept(orphan, since));
	const inProgress = shown.length - eligible.length;
	const young = context.keptSince === undefined ? 'possibly in progress' : `younger than ${formatDuration(state.minAgeMs ?? 0)} (M)`;
	const leftOut = inProgress === 0 ? '' : `; ${formatCountOf(inProgress, 'orphan')} ${young} left unmarked`;
	if (eligible.length === 0) {
		dispatch({type: 'showMessage', text: `no orphan shown can be marked${leftOut}`});
		return;
	}

	const marked = new Set(state.marked);
	const unmark = eligible.every((orphan) => marked.has(orphan.path));
	const paths = eligible.map((orphan) => orphan.path);
	const bytes = eligible.reduce((sum, orphan) => sum + Math.max(0, orphan.bytes), 0);
	dispatch({type: 'markMany', paths, unmark});
	const what = `${formatCountOf(eligible.length, 'orphan')} (${formatBytes(bytes)})`;
	dispatch({type: 'showMessage', text: unmark ? `unmarked ${what}` : `marked ${what}${leftOut}; D moves the marked ones`});
}

/** Why nothing may be marked or moved now (read-only, or stale lists); `undefined` when it may. */
function deleteRefusal(context: ExplorerKeysContext): string | undefined {
	if (!context.allowDelete) return READ_ONLY_MESSAGE;
	return context.state.stale ? STALE_MESSAGE : undefined;
}

/** Why Space may not mark the selected row; `undefined` when it may. */
export function markRefusal(context: ExplorerKeysContext): string | undefined {
	const {selectedRow} = context;
	const refusal = deleteRefusal(context);
	if (refusal !== undefined) {
		return refusal;
	}

	if (!selectedRow?.orphan) {
		return 'only orphan rows can be marked';
	}

	if (selectedRow.orphan.possiblyInProgress) {
		return `refused: ${selectedRow.cells[0] ?? selectedRow.orphan.path} is possibly in progress (younger than --min-age); it cannot be marked`;
	}

	if (context.keptSince !== undefined && isKept(selectedRow.orphan, context.keptSince)) {
		const age = formatDuration(context.state.minAgeMs ?? 0);
		return `refused: younger than the min-age ${age} (M), kept: ${selectedRow.cells[0] ?? selectedRow.orphan.path}`;
	}

	return undefined;
}
