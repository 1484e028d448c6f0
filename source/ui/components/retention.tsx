/**
 * The keep-last what-if in the explorer (`K`): a prompt for N, then a panel with what keeping the
 * newest N complete checkpoints per job would subsume and free: the text of `fcx what-if
 * --keep-last N` (one rendering, `retentionToText`), scrollable. Nothing is changed.
 */
import type {RetentionResult} from '../../analysis/types.js';
import {retentionToText} from '../../report/index.js';
import {MARKS} from '../marks.js';
import {Panel, panelMax, type PanelLine} from './panel.js';
import {Prompt} from './prompt.js';
import {goneAtText, type GoneAt} from '../min-age.js';

/** Props of {@link KeepLastPrompt}. */
export interface KeepLastPromptProps {
	/** The digits typed so far. */
	typed: string;
	width: number;
	height: number;
}

/** The prompt of `K`: how many complete checkpoints per job to keep. */
export function KeepLastPrompt({typed, width, height}: KeepLastPromptProps) {
	return (
		<Prompt
			question="Keep the newest N complete checkpoints of every job: what would go? (a what-if: nothing changes)"
			label="N"
			typed={typed}
			help="⏎ shows the checkpoints that would be subsumed and the bytes freed · Esc cancels"
			width={width}
			height={height}
		/>
	);
}

/** The panel's title line. */
export function retentionTitle(keepLast: number): PanelLine {
	return {text: `Keep last ${keepLast} per job (what-if, changes nothing)`, bold: true};
}

/**
 * The panel's body: `fcx what-if --keep-last N`'s text, warnings coloured; with a min-age typed with
 * `M` (`gone`), what would go of the orphans at it too (keep-last counts checkpoints, not ages).
 */
export function retentionLines(result: RetentionResult, roots: readonly string[], gone?: GoneAt): PanelLine[] {
	const lines = retentionToText(result, roots).replace(/\n$/, '').split('\n').slice(1);
	const panel: PanelLine[] = lines.map((text) => (text.startsWith('  ! ') ? {text, color: MARKS.warning.color} : {text}));
	if (gone !== undefined) panel.push({text: ''}, {text: `Orphans, ${goneAtText(gone)} as well (M sets the age; keep-last counts checkpoints, not ages)`});
	return panel;
}

/** Largest scroll offset of the panel. */
export function retentionMax(result: RetentionResult, roots: readonly string[], height: number, gone?: GoneAt): number {
	return panelMax(retentionLines(result, roots, gone).length, height);
}

/** Props of {@link RetentionPanel}. */
export interface RetentionPanelProps {
	result: RetentionResult;
	roots: readonly string[];
	/** What would go of the orphans at the min-age of `M`; absent without one. */
	gone?: GoneAt;
	top: number;
	width: number;
	height: number;
}

/** The scrollable keep-last what-if panel. */
export function RetentionPanel({result, roots, gone, top, width, height}: RetentionPanelProps) {
	return <Panel title={retentionTitle(result.keepLast)} lines={retentionLines(result, roots, gone)} top={top} width={width} height={height} />;
}
