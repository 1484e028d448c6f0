/**
 * The key-binding table: defined once, it drives the key handler, the footer hints and the help
 * screen.
 */
import type {ViewType} from './views/types.js';

/** What a key does. */
export type ActionId =
	| 'up'
	| 'down'
	| 'pageUp'
	| 'pageDown'
	| 'top'
	| 'bottom'
	| 'open'
	| 'back'
	| 'filter'
	| 'sort'
	| 'reverseSort'
	| 'orphans'
	| 'orphanDirs'
	| 'keepLast'
	| 'minAge'
	| 'promptSubmit'
	| 'promptCancel'
	| 'promptDelete'
	| 'referencedBy'
	| 'viewMenu'
	| 'help'
	| 'quit'
	| 'filterAccept'
	| 'filterClear'
	| 'filterDelete'
	| 'lineage'
	| 'impact'
	| 'mark'
	| 'markShown'
	| 'quarantine'
	| 'openTarget'
	| 'panelClose'
	| 'dialogSubmit'
	| 'dialogCancel'
	| 'dialogDelete'
	| 'menuSelect'
	| 'menuClose'
	| 'rescan'
	| 'copyPath'
	| 'searchNext'
	| 'searchPrevious'
	| 'pager'
	| 'exportTsv'
	| 'exportJson'
	| 'storage'
	| 'quarantines';

/** Ink `Key` flags a binding can name. */
export type KeyFlag =
	'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'backspace' | 'delete';

/** One key: a typed character (with or without Ctrl) or a named key. */
export type KeySpec = {input: string; ctrl?: boolean} | {key: KeyFlag};

/**
 * Input modes: browsing lists, typing a filter, choosing in the go-to-view menu of `v`, reading a
 * panel (the impact of `d`, the result of a quarantine), or answering the confirmation dialog of `D`.
 */
export type KeyMode = 'browse' | 'filter' | 'menu' | 'panel' | 'dialog' | 'prompt';

/** Every mode, in help-screen order. */
export const KEY_MODES: readonly KeyMode[] = ['browse', 'filter', 'menu', 'panel', 'dialog', 'prompt'];

/** One row of the binding table. */
export interface KeyBinding {
	action: ActionId;
	keys: KeySpec[];
	/** How the keys are written in the help screen. */
	display: string;
	label: string;
	mode: KeyMode;
	/** Views where the binding applies. */
	views: 'all' | ViewType[];
	/** Footer hint (short keys and label), when the binding shows there. */
	hint?: {keys: string; label: string};
}

const ROW_REF_VIEWS: ViewType[] = ['checkpoint', 'files', 'orphans', 'missing'];
/** Views whose rows (or the view itself) are a checkpoint, savepoint, job or orphan: `d` shows the impact of deleting it. */
export const IMPACT_VIEWS: ViewType[] = ['jobs', 'checkpoints', 'checkpoint', 'orphans', 'referencedBy', 'lineage'];

/** THE key-binding table. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
	{action: 'up', keys: [{key: 'upArrow'}, {input: 'k'}], display: '↑ k', label: 'move up', mode: 'browse', views: 'all', hint: {keys: '↑↓', label: 'move'}},
	{action: 'down', keys: [{key: 'downArrow'}, {input: 'j'}], display: '↓ j', label: 'move down', mode: 'browse', views: 'all'},
	{action: 'pageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], display: 'PgUp ^U', label: 'page up', mode: 'browse', views: 'all'},
	{action: 'pageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}], display: 'PgDn ^D', label: 'page down', mode: 'browse', views: 'all'},
	{action: 'top', keys: [{input: 'g'}, {key: 'home'}], display: 'g Home', label: 'go to top', mode: 'browse', views: 'all'},
	{action: 'bottom', keys: [{input: 'G'}, {key: 'end'}], display: 'G End', label: 'go to bottom', mode: 'browse', views: 'all'},
	{
		action: 'open',
		keys: [{key: 'return'}, {key: 'rightArrow'}, {input: 'l'}],
		display: '⏎ → l',
		label: 'open the selected row (lineage: the restored-from checkpoint)',
		mode: 'browse',
		views: ['jobs', 'checkpoints', 'checkpoint', 'files', 'orphans', 'orphanDirs', 'missing', 'referencedBy', 'lineage', 'storage'],
		hint: {keys: '⏎', label: 'open'},
	},
	{
		action: 'back',
		keys: [{key: 'leftArrow'}, {input: 'h'}, {key: 'backspace'}, {key: 'delete'}, {key: 'escape'}],
		display: '← h ⌫ Esc',
		label: 'back (Esc first clears an active filter)',
		mode: 'browse',
		views: 'all',
		hint: {keys: '←', label: 'back'},
	},
	{action: 'filter', keys: [{input: '/'}], display: '/', label: 'filter rows', mode: 'browse', views: 'all', hint: {keys: '/', label: 'filter'}},
	{
		action: 'sort',
		keys: [{input: 's'}],
		display: 's',
		label: 'cycle sort: name ▲, size ▼, time ▼ (newest first); the header marks the column',
		mode: 'browse',
		views: 'all',
		hint: {keys: 's', label: 'sort'},
	},
	{action: 'reverseSort', keys: [{input: 'S'}], display: 'S', label: 'reverse the sort order (▲ ⇄ ▼)', mode: 'browse', views: 'all'},
	{action: 'orphans', keys: [{input: 'o'}], display: 'o', label: 'orphans view', mode: 'browse', views: 'all', hint: {keys: 'o', label: 'orphans'}},
	{
		action: 'keepLast',
		keys: [{input: 'K'}],
		display: 'K',
		label: 'keep-last what-if: asks for N, shows the checkpoints that would be subsumed and the bytes freed (changes nothing)',
		mode: 'browse',
		views: 'all',
	},
	{
		action: 'minAge',
		keys: [{input: 'M'}],
		display: 'M',
		label: 'min-age: asks for an age (as --min-age), keeps the orphans younger (…), says what would go; never below --min-age: deleting keeps more',
		mode: 'browse',
		views: 'all',
	},
	{
		action: 'orphanDirs',
		keys: [{input: 'O'}],
		display: 'O',
		label: 'orphans by directory (count, bytes, share; Enter: its orphans)',
		mode: 'browse',
		views: 'all',
	},
	{
		action: 'referencedBy',
		keys: [{input: 'r'}],
		display: 'r',
		label: 'referenced by: checkpoints that need the directory / file',
		mode: 'browse',
		views: ROW_REF_VIEWS,
		hint: {keys: 'r', label: 'refs'},
	},
	{
		action: 'impact',
		keys: [{input: 'd'}],
		display: 'd',
		label: 'impact of deleting the checkpoint / savepoint / job / orphan (what-if, changes nothing)',
		mode: 'browse',
		views: IMPACT_VIEWS,
		hint: {keys: 'd', label: 'impact'},
	},
	{
		action: 'mark',
		keys: [{input: ' '}],
		display: 'Space',
		label: 'mark / unmark the orphan for quarantine (needs --allow-delete)',
		mode: 'browse',
		views: ['orphans'],
		hint: {keys: '␣', label: 'mark'},
	},
	{
		action: 'markShown',
		keys: [{input: 'A'}],
		display: 'A',
		label: 'mark every orphan the list shows (the filter applies); again: unmark them (needs --allow-delete)',
		mode: 'browse',
		views: ['orphans'],
	},
	{
		action: 'quarantine',
		keys: [{input: 'D'}],
		display: 'D',
		label: 'move the marked orphans to quarantine (asks first; needs --allow-delete)',
		mode: 'browse',
		views: ['orphans'],
		hint: {keys: 'D', label: 'move'},
	},
	{
		action: 'openTarget',
		keys: [{input: 't'}],
		display: 't',
		label: 'open the restored (target) job',
		mode: 'browse',
		views: ['lineage'],
		hint: {keys: 't', label: 'target'},
	},
	{
		action: 'copyPath',
		keys: [{input: 'y'}],
		display: 'y',
		label: "copy the selected row's path to the clipboard (OSC 52: works over SSH; tmux needs set-clipboard on)",
		mode: 'browse',
		views: 'all',
		hint: {keys: 'y', label: 'copy path'},
	},
	{
		action: 'pager',
		keys: [{input: 'p'}],
		display: 'p',
		label: 'open the current list (every row, cells whole) in $PAGER (default less)',
		mode: 'browse',
		views: 'all',
	},
	{
		action: 'exportTsv',
		keys: [{input: 'e'}],
		display: 'e',
		label: 'export the current list (every row, filter applied, cells whole) as TSV to a new file in the current directory',
		mode: 'browse',
		views: 'all',
	},
	{action: 'exportJson', keys: [{input: 'E'}], display: 'E', label: 'export the current list as JSON (as e does)', mode: 'browse', views: 'all'},
	{
		action: 'searchNext',
		keys: [{input: 'n'}],
		display: 'n',
		label: 'next row matching the last filter text (also after Esc cleared it)',
		mode: 'browse',
		views: 'all',
	},
	{action: 'searchPrevious', keys: [{input: 'N'}], display: 'N', label: 'previous row matching the last filter text', mode: 'browse', views: 'all'},
	{
		action: 'viewMenu',
		keys: [{input: 'v'}],
		display: 'v',
		label: 'go to view (jobs, orphans, missing, warnings, lineage)',
		mode: 'browse',
		views: 'all',
		hint: {keys: 'v', label: 'views'},
	},
	{action: 'lineage', keys: [{input: 'L'}], display: 'L', label: 'lineage view: which job was restored from which snapshot', mode: 'browse', views: 'all'},
	{
		action: 'storage',
		keys: [{input: 'u'}],
		display: 'u',
		label: 'storage of the job: its directory by part with size bars, what only it holds, which jobs still need it',
		mode: 'browse',
		views: ['jobs', 'checkpoints', 'checkpoint'],
	},
	{
		action: 'quarantines',
		keys: [{input: 'Q'}],
		display: 'Q',
		label: 'quarantines view: what fcx clean moved aside (held until emptied), with the restore and empty commands',
		mode: 'browse',
		views: 'all',
	},
	{action: 'rescan', keys: [{input: 'R'}], display: 'R', label: 'rescan the tree (after a quarantine the lists are stale)', mode: 'browse', views: 'all'},
	{action: 'help', keys: [{input: '?'}], display: '?', label: 'help (this screen)', mode: 'browse', views: 'all', hint: {keys: '?', label: 'help'}},
	{
		action: 'quit',
		keys: [{input: 'q'}, {input: 'c', ctrl: true}],
		display: 'q ^C',
		label: 'quit (^C always quits)',
		mode: 'browse',
		views: 'all',
		hint: {keys: 'q', label: 'quit'},
	},
	{action: 'filterAccept', keys: [{key: 'return'}], display: '⏎', label: 'keep the filter', mode: 'filter', views: 'all', hint: {keys: '⏎', label: 'keep'}},
	{
		action: 'filterClear',
		keys: [{key: 'escape'}],
		display: 'Esc',
		label: 'clear the filter',
		mode: 'filter',
		views: 'all',
		hint: {keys: 'Esc', label: 'clear'},
	},
	{action: 'filterDelete', keys: [{key: 'backspace'}, {key: 'delete'}], display: '⌫', label: 'delete a character', mode: 'filter', views: 'all'},
	{action: 'up', keys: [{key: 'upArrow'}], display: '↑', label: 'move up', mode: 'filter', views: 'all', hint: {keys: '↑↓', label: 'move'}},
	{action: 'down', keys: [{key: 'downArrow'}], display: '↓', label: 'move down', mode: 'filter', views: 'all'},
	{action: 'quit', keys: [{input: 'c', ctrl: true}], display: '^C', label: 'quit', mode: 'filter', views: 'all'},
	{action: 'up', keys: [{key: 'upArrow'}, {input: 'k'}], display: '↑ k', label: 'move up', mode: 'menu', views: 'all', hint: {keys: '↑↓', label: 'move'}},
	{action: 'down', keys: [{key: 'downArrow'}, {input: 'j'}], display: '↓ j', label: 'move down', mode: 'menu', views: 'all'},
	{
		action: 'menuSelect',
		keys: [{key: 'return'}, {key: 'rightArrow'}, {input: 'l'}],
		display: '⏎ → l',
		label: 'go to the highlighted view',
		mode: 'menu',
		views: 'all',
		hint: {keys: '⏎', label: 'go'},
	},
	{
		action: 'menuClose',
		keys: [{key: 'escape'}, {key: 'leftArrow'}, {input: 'h'}, {input: 'v'}],
		display: 'Esc ← h v',
		label: 'close the menu',
		mode: 'menu',
		views: 'all',
		hint: {keys: 'Esc', label: 'close'},
	},
	{
		action: 'quit',
		keys: [{input: 'q'}, {input: 'c', ctrl: true}],
		display: 'q ^C',
		label: 'quit',
		mode: 'menu',
		views: 'all',
		hint: {keys: 'q', label: 'quit'},
	},
	{action: 'up', keys: [{key: 'upArrow'}, {input: 'k'}], display: '↑ k', label: 'scroll up', mode: 'panel', views: 'all', hint: {keys: '↑↓', label: 'scroll'}},
	{action: 'down', keys: [{key: 'downArrow'}, {input: 'j'}], display: '↓ j', label: 'scroll down', mode: 'panel', views: 'all'},
	{action: 'pageUp', keys: [{key: 'pageUp'}, {input: 'u', ctrl: true}], display: 'PgUp ^U', label: 'page up', mode: 'panel', views: 'all'},
	{action: 'pageDown', keys: [{key: 'pageDown'}, {input: 'd', ctrl: true}], display: 'PgDn ^D', label: 'page down', mode: 'panel', views: 'all'},
	{action: 'top', keys: [{input: 'g'}, {key: 'home'}], display: 'g Home', label: 'go to the top', mode: 'panel', views: 'all'},
	{action: 'bottom', keys: [{input: 'G'}, {key: 'end'}], display: 'G End', label: 'go to the bottom', mode: 'panel', views: 'all'},
	{
		action: 'panelClose',
		keys: [{key: 'escape'}, {key: 'return'}, {key: 'leftArrow'}, {input: 'h'}, {input: 'd'}],
		display: 'Esc ⏎ ← d',
		label: 'close the panel',
		mode: 'panel',
		views: 'all',
		hint: {keys: 'Esc', label: 'close'},
	},
	{action: 'pager', keys: [{input: 'p'}], display: 'p', label: 'open the panel in $PAGER (default less)', mode: 'panel', views: 'all'},
	{action: 'rescan', keys: [{input: 'R'}], display: 'R', label: 'rescan the tree', mode: 'panel', views: 'all'},
	{
		action: 'quit',
		keys: [{input: 'q'}, {input: 'c', ctrl: true}],
		display: 'q ^C',
		label: 'quit',
		mode: 'panel',
		views: 'all',
		hint: {keys: 'q', label: 'quit'},
	},
	{
		action: 'dialogSubmit',
		keys: [{key: 'return'}],
		display: '⏎',
		label: 'move to quarantine if you typed yes; anything else cancels',
		mode: 'dialog',
		views: 'all',
		hint: {keys: 'yes ⏎', label: 'move'},
	},
	{
		action: 'dialogCancel',
		keys: [{key: 'escape'}],
		display: 'Esc',
		label: 'cancel (nothing is moved)',
		mode: 'dialog',
		views: 'all',
		hint: {keys: 'Esc', label: 'cancel'},
	},
	{action: 'dialogDelete', keys: [{key: 'backspace'}, {key: 'delete'}], display: '⌫', label: 'delete a character', mode: 'dialog', views: 'all'},
	{action: 'quit', keys: [{input: 'c', ctrl: true}], display: '^C', label: 'quit', mode: 'dialog', views: 'all'},
	{
		action: 'promptSubmit',
		keys: [{key: 'return'}],
		display: '⏎',
		label: "K: show what keeping the newest N would subsume; M: set the age (empty: the command line's)",
		mode: 'prompt',
		views: 'all',
		hint: {keys: '⏎', label: 'ok'},
	},
	{action: 'promptCancel', keys: [{key: 'escape'}], display: 'Esc', label: 'cancel', mode: 'prompt', views: 'all', hint: {keys: 'Esc', label: 'cancel'}},
	{action: 'promptDelete', keys: [{key: 'backspace'}, {key: 'delete'}], display: '⌫', label: 'delete a character', mode: 'prompt', views: 'all'},
	{action: 'quit', keys: [{input: 'c', ctrl: true}], display: '^C', label: 'quit', mode: 'prompt', views: 'all'},
];
