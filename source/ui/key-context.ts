/**
 * What the explorer hands its key and mouse handling: the state and dispatch, the rows on screen,
 * and the services a key may call (quarantine, rescan, copy, pager, export), absent where the
 * embedder gives none.
 */
import type {Key} from 'ink';
import type {Dispatch} from 'react';
import type {ExplorerAction, ExplorerState} from './use-explorer-state.js';
import type {ImpactTarget, Row} from './views/types.js';

/** What the key hook needs to know about the screen. */
export interface ExplorerKeysContext {
	state: ExplorerState;
	dispatch: Dispatch<ExplorerAction>;
	/** Selectable row keys in display order. */
	keys: readonly string[];
	selectedRow: Row | undefined;
	/** Rows per page (PgUp / PgDn). */
	pageSize: number;
	/** Largest scroll offset of the help screen, or of the open impact / result panel. */
	helpMax: number;
	/** Lines per page of the help screen (PgUp / PgDn), which is taller than the list when the details are below it. */
	helpPageSize: number;
	onQuit: () => void;
	/** Whether marking and quarantining are allowed (`--allow-delete`). */
	allowDelete?: boolean;
	/** What `d` assesses when the selected row names nothing (the checkpoint view: the checkpoint). */
	viewImpact?: ImpactTarget;
	/** Starts quarantining the marked orphans; absent when the embedder cannot quarantine. */
	startQuarantine?: () => void;
	/** Rescans the tree (a fresh analysis); absent when the embedder cannot. */
	onRescan?: () => void;
	/** Puts text on the terminal's clipboard (`y`); absent when the embedder cannot. */
	copyText?: (text: string) => void;
	/** The keys of the rows of the current view that match a filter text, in any order (`n` / `N`). */
	matchingKeys?: (text: string) => ReadonlySet<string>;
	/** The orphans of the rows the current list shows, filter applied, in display order (`A`). */
	shownOrphans?: () => readonly ShownOrphan[];
	/** The lines `p` shows in the pager: the current list or panel, whole. */
	pagerLines?: () => string[];
	/** Gives the terminal to `$PAGER` on `lines` until it ends; an error message when it could not run. Absent: no pager here. */
	showInPager?: (lines: string[]) => string | undefined;
	/** Keys typed before the explorer was shown (while loading): handled first, in order, once it is. */
	typedAhead?: TypeAhead;
	/** Exports the current list (`e` TSV, `E` JSON): what the footer says (the file written, or why not). Absent: no export here. */
	exportList?: (format: 'tsv' | 'json') => string;
	/** The clock that stamps key presses and mouse reports as they arrive, epoch ms; default `Date.now` (tests pass their own). */
	now?: () => number;
	/** The key of the list row drawn at a screen position (0-based column and line; a click selects it); `undefined` elsewhere. */
	rowAt?: (column: number, line: number) => string | undefined;
	/** The command line's `--min-age` (the analysis's), ms: `M` never goes below it. Absent: `M` is not available. */
	commandLineMinAgeMs?: number;
	/** Orphans with a newest mtime at or after this (epoch ms) are kept at the min-age of `M`: never marked. Absent: no age typed. */
	keptSince?: number;
	/** The marked orphans that `M` at `ageMs` would keep (they are unmarked). */
	markedKeptAt?: (ageMs: number) => string[];
}

/** An orphan row's entry as marking sees it (see `Row.orphan`). */
export type ShownOrphan = NonNullable<Row['orphan']>;

/**
 * Keys typed while the tree loads (or is rescanned), kept by the loading screen until the explorer
 * shows and takes them over (`taken`: from then on the explorer's own key hook has every key).
 */
export interface TypeAhead {
	keys: [string, Key][];
	taken: boolean;
}
