/**
 * The keep-last what-if in the explorer (`K`): a prompt for N, then a panel with what keeping the
 * newest N complete checkpoints per job would subsume and free: the text of `fcx what-if
 * --keep-last N` (one rendering, `retentionToText`), scrollable. Nothing is changed.
 */
import {Box, Text} from 'ink';
import type {RetentionResult} from '../../analysis/types.js';
import {retentionToText} from '../../report/index.js';
import {MARKS} from '../marks.js';
import {Panel, panelMax, type PanelLine} from './panel.js';

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
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>Keep the newest N complete checkpoints of every job: what would go? (a what-if: nothing changes)</Text>
			<Text> </Text>
			<Text>
				{'N: '}
				<Text bold color="cyan">{`${typed}▏`}</Text>
			</Text>
			<Text dimColor>⏎ shows the checkpoints that would be subsumed and the bytes freed · Esc cancels</Text>
		</Box>
	);
}

/** The panel's title line. */
export function retentionTitle(keepLast: number): PanelLine {
	return {text: `Keep last ${keepLast} per job (what-if, changes nothing)`, bold: true};
}

/** The panel's body: `fcx what-if --keep-last N`'s text, warnings coloured. */
export function retentionLines(result: RetentionResult, roots: readonly string[]): PanelLine[] {
	const lines = retentionToText(result, roots).replace(/\n$/, '').split('\n').slice(1);
	return lines.map((text) => (text.startsWith('  ! ') ? {text, color: MARKS.warning.color} : {text}));
}

/** Largest scroll offset of the panel. */
export function retentionMax(result: RetentionResult, roots: readonly string[], height: number): number {
	return panelMax(retentionLines(result, roots).length, height);
}

/** Props of {@link RetentionPanel}. */
export interface RetentionPanelProps {
	result: RetentionResult;
	roots: readonly string[];
	top: number;
	width: number;
	height: number;
}

/** The scrollable keep-last what-if panel. */
export function RetentionPanel({result, roots, top, width, height}: RetentionPanelProps) {
	return <Panel title={retentionTitle(result.keepLast)} lines={retentionLines(result, roots)} top={top} width={width} height={height} />;
}
