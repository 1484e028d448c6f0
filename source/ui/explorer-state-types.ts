/**
 * The explorer's state and its actions, as shapes: the navigation stack of frames, the overlays and
 * every action the reducer (`use-explorer-state.ts`) takes.
 */
import type {QuarantineResult} from './services.js';
import type {ImpactTarget, SortKey, ViewRef} from './views/types.js';
/** One entry of the navigation stack. */
export interface Frame {
	view: ViewRef;
	/** Key of the selected row: the cursor follows the item across sorts and filters. */
	cursorKey: string | null;
	/** Last cursor position, used when the selected item is filtered out. */
	cursorIndex: number;
	filter: string;
	sort: SortKey;
	/** The sort order is reversed (`S`); `s` goes to the next order in its usual direction. */
	reverse: boolean;
}

/**
 * Overlays drawn instead of the list: help, the view menu, the impact panel of `d`, the
 * confirmation dialog of `D` and the result panel of a quarantine.
 */
export type Overlay = 'none' | 'help' | 'menu' | 'impact' | 'confirm' | 'result' | 'keepLast' | 'minAge' | 'retention';

/** Where a quarantine of the marked orphans stands. */
export type QuarantineState =
	{state: 'running'; paths: string[]} | {state: 'done'; paths: string[]; result: QuarantineResult} | {state: 'failed'; paths: string[]; error: string};

/** The whole UI state. */
export interface ExplorerState {
	/** Never empty; the first frame is the Jobs view. */
	stack: Frame[];
	overlay: Overlay;
	/** Whether typing edits the filter of the top frame. */
	editingFilter: boolean;
	/** First line shown of the help screen or of the impact / result panel. */
	helpTop: number;
	/** Subject of the impact panel (`d`). */
	impact: ImpactTarget | null;
	/** Orphan paths marked for quarantine (Space), in marking order. */
	marked: readonly string[];
	/** What has been typed in the confirmation dialog. */
	confirmText: string;
	/** What has been typed in the keep-last prompt (`K`: digits) or the min-age prompt (`M`: a duration). */
	promptText: string;
	/** The N of the keep-last what-if panel shown. */
	keepLast: number | null;
	/**
	 * The min-age typed with `M`, ms, at least the command line's (see `min-age.ts`); `null`: the
	 * command line's. Orphans younger than it are kept: shown so, never marked or moved.
	 */
	minAgeMs: number | null;
	/** A one-shot message for the footer (a refusal, a cancellation); cleared by the next key. */
	message: string | null;
	/** The last quarantine run, if any. */
	quarantine: QuarantineState | null;
	/** The tree changed under the analysis (a quarantine ran): the lists are out of date. */
	stale: boolean;
	/** The highlighted entry of the go-to-view menu, an index in {@link MENU_VIEWS}. */
	menuIndex: number;
	/** The last non-empty filter text typed: what `n` / `N` search for after the filter is cleared. */
	lastSearch: string;
	/** The row the last left click selected and when (epoch ms): a second click on it soon after opens it. */
	lastClick: {key: string; timeMs: number} | null;
}

/** The views of the go-to-view menu (`v`), in its order. */
export const MENU_VIEWS = ['jobs', 'orphans', 'missing', 'warnings', 'quarantines', 'orphanDirs', 'lineage'] as const;

/** Reducer actions. */
export type ExplorerAction =
	/** Move the cursor by `delta` rows (±Infinity: top / bottom) within `keys`, the selectable rows in display order. */
	| {type: 'move'; delta: number; keys: readonly string[]}
	/** Select a row by key. */
	| {type: 'select'; key: string; keys: readonly string[]}
	/** A left click selected a row at `timeMs` (epoch ms; -Infinity: forget it, it opened the row). */
	| {type: 'click'; key: string; keys: readonly string[]; timeMs: number}
	/** Push a view (no-op when it is already the top); `pin` (the selected row's key) keeps the place to come back to. */
	| {type: 'open'; view: ViewRef; pin?: string}
	/** Pop a view (no-op at the root). */
	| {type: 'back'}
	/** Go to a top-level view: the stack becomes Jobs (› view); `pin` (the selected row's key) keeps Jobs' place when it was the top. */
	| {type: 'goTo'; view: ViewRef; pin?: string}
	/** Start typing a filter; `pin` (the selected row's key) keeps the cursor on that item. */
	| {type: 'filterStart'; pin?: string}
	| {type: 'filterType'; text: string}
	| {type: 'filterDelete'}
	| {type: 'filterAccept'}
	| {type: 'filterClear'}
	/** Next sort order; `pin` (the selected row's key) keeps the cursor on that item. */
	| {type: 'cycleSort'; pin?: string}
	/** Reverse the sort order; `pin` (the selected row's key) keeps the cursor on that item. */
	| {type: 'reverseSort'; pin?: string}
	| {type: 'toggleHelp'}
	| {type: 'helpScroll'; delta: number; max: number}
	| {type: 'openMenu'}
	/** Move the menu's highlight by `delta` entries, wrapping around. */
	| {type: 'menuMove'; delta: number}
	| {type: 'closeOverlay'}
	/** Show the impact panel of deleting `target` (what-if; nothing changes). */
	| {type: 'openImpact'; target: ImpactTarget}
	/** Mark or unmark an orphan path for quarantine. */
	| {type: 'toggleMark'; path: string}
	/** Mark every path of `paths` (kept in marking order), or, with `unmark`, remove them from the marks. */
	| {type: 'markMany'; paths: readonly string[]; unmark: boolean}
	| {type: 'showMessage'; text: string}
	| {type: 'clearMessage'}
	/** Open the confirmation dialog (no-op without marks). */
	| {type: 'openConfirm'}
	| {type: 'confirmType'; text: string}
	/** Open the keep-last (`K`) or min-age (`M`) prompt, type into it (what the prompt takes of `text`), delete a character. */
	| {type: 'openPrompt'; prompt: 'keepLast' | 'minAge'}
	| {type: 'promptType'; text: string}
	| {type: 'promptDelete'}
	/** Set the min-age of `M` (`null`: the command line's), say `message`, and unmark `unmark` (orphans now kept). */
	| {type: 'setMinAge'; ageMs: number | null; message: string; unmark: readonly string[]}
	/** Show the keep-last what-if of `keepLast` checkpoints per job. */
	| {type: 'openRetention'; keepLast: number}
	| {type: 'confirmDelete'}
	/** Close the dialog without acting. */
	| {type: 'confirmCancel'; message: string}
	/** The user confirmed: the marked paths are being quarantined. */
	| {type: 'quarantineStart'}
	| {type: 'quarantineDone'; result: QuarantineResult}
	| {type: 'quarantineFailed'; error: string};
