/**
 * The display model: every view turns the `Analysis` into sections of rows. Rows carry their cells
 * as text, their marks, details for the details pane, sort keys, and what Enter / `r` open.
 */
import type {Cut} from '../format.js';
import type {Mark} from '../marks.js';

/** Which view a navigation frame shows. */
export type ViewRef =
	| {type: 'jobs'}
	| {type: 'checkpoints'; jobPath: string}
	| {type: 'checkpoint'; checkpointPath: string}
	| {type: 'files'; checkpointPath: string; dependencyPath: string}
	/** All orphans, or with `dir` those one directory holds (Orphans by directory opens it). */
	| {type: 'orphans'; dir?: string}
	| {type: 'orphanDirs'}
	| {type: 'directory'; path: string}
	| {type: 'missing'}
	| {type: 'warnings'}
	| {type: 'referencedBy'; path: string}
	| {type: 'lineage'}
	| {type: 'storage'; jobPath: string}
	| {type: 'quarantines'};

/** The view types. */
export type ViewType = ViewRef['type'];

/** Sort orders: name ascending (natural), size descending, time descending (newest first). */
export type SortKey = 'name' | 'size' | 'time';

/** The cycle of `s`. */
export const SORT_KEYS: readonly SortKey[] = ['name', 'size', 'time'];

/** A list's order: the key, and whether it is reversed (`S`: names descending, sizes and times ascending). */
export interface SortOrder {
	key: SortKey;
	reverse: boolean;
}

/**
 * A column of a section. Every column is as wide as what it holds (`columns.ts`): a fixed one at
 * most its `width`; the `flex` ones (names, paths, ids, messages) share what the others leave.
 */
export interface Column {
	title: string;
	width: number | 'flex';
	/** How a cell too wide for the column is cut (default `middle`: ids; `path` keeps the last segments; `end` for prose). */
	cut?: Cut;
	/** `right`: the column holds numbers, never cut (wider than `width` when a cell needs it). */
	align?: 'left' | 'right';
	/** Minimum width of a flex column (default 8, or what it holds if less). */
	minWidth?: number;
	/** Flex column: below this width the `optional` columns are left out first (e.g. a full job id). */
	idealWidth?: number;
	/** Left out (before the flex column gets narrower than its `idealWidth`). */
	optional?: boolean;
	/** Holds job ids: one too wide for the column is cut as everywhere else (`shortJobId`), not in the middle. */
	jobId?: boolean;
	/** The sort order this column shows (its header carries ▲ / ▼ when the list is in it); the name order's column is the first one unless another says `name`. */
	sortKey?: SortKey;
}

/** One line of the details pane. */
export interface DetailLine {
	label: string;
	value: string;
	/** Colour hint for the value (e.g. a missing file). */
	mark?: Mark;
}

/** A row of a list. */
export interface Row {
	/** Stable identity (the cursor follows it across sorts and filters). */
	key: string;
	/** Cell texts, one per column of the row's section. */
	cells: string[];
	/**
	 * The same texts as `cells`, made anew when not made yet and not kept (rows of the views that can
	 * hold 100,000 rows: the filter reads every row's texts once, and a kept array of cells per row
	 * would be tens of MB of heap the garbage collector walks again and again).
	 */
	searchCells?: () => string[];
	marks: Mark[];
	/** Details pane lines; built lazily (only the selected row's are needed). */
	details: () => DetailLine[];
	/** Name sorted on, compared naturally (`naturalCompare`: case-insensitive, digit runs that touch no letter as numbers). */
	sortName: string;
	sortSize: number;
	sortTime: number;
	/** What Enter opens. */
	open?: ViewRef;
	/** Path `r` (Referenced by) looks up. */
	refPath?: string;
	/** What `t` opens (lineage: the restored job). */
	openTarget?: ViewRef;
	/** What `d` (impact, what-if) deletes: a checkpoint, savepoint, job directory or orphan. */
	impact?: ImpactTarget;
	/** Set on orphan rows: what Space marks for quarantine (`timeMs`: its newest mtime, epoch ms, for the min-age of `M`). */
	orphan?: {path: string; bytes: number; possiblyInProgress: boolean; timeMs: number};
}

/** The subject of the impact overlay (`d`). */
export interface ImpactTarget {
	/** Absolute paths passed to `whatIfDelete`. */
	targets: string[];
	/** How the overlay names it, e.g. `checkpoint chk-42 of 3f2a1b2c…`. */
	label: string;
}

/** A group of rows with shared columns. */
export interface Section {
	id: string;
	/** Shown as a heading line when the view has more than one section. */
	title?: string;
	columns: Column[];
	rows: Row[];
	/** Message shown when the section has no rows. */
	empty: string;
}

/** A built view: its sections and its breadcrumb label. */
export interface ListModel {
	sections: Section[];
	/** Breadcrumb label of this view. */
	crumb: string;
	/** Message shown when the view has no rows at all. */
	empty: string;
	/** Optional one-line summary shown above the list (e.g. the checkpoint's status). */
	summary?: string;
	/** What `d` deletes when the selected row names nothing (the checkpoint view: the checkpoint itself). */
	impact?: ImpactTarget;
	/** The details pane when no row is selected (the checkpoint view: the checkpoint's own details). */
	details?: () => DetailLine[];
}

/** Equality of view refs (to avoid pushing the same view twice). */
export function sameView(a: ViewRef, b: ViewRef): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}
