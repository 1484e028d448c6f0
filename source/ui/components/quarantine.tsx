/** The confirmation dialog of `D` and the result panel of a quarantine. */
import {Box, Text} from 'ink';
import {fit, truncateEnd, truncateMiddle, wrapColumns} from '../format.js';
import {formatBytes, formatCount, formatCountOf} from '../../text/index.js';
import {MARKS} from '../marks.js';
import type {QuarantineState} from '../use-explorer-state.js';
import {relativeToRoot, type AnalysisIndex} from '../views/build.js';
import {Panel, panelMax, type PanelLine} from './panel.js';

/** Total bytes of marked orphan paths. */
export function markedBytes(index: AnalysisIndex, paths: readonly string[]): number {
	return paths.reduce((sum, path) => sum + Math.max(0, index.orphanAt(path)?.bytes ?? 0), 0);
}

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
	index: AnalysisIndex;
	paths: readonly string[];
	typed: string;
	width: number;
	height: number;
}

/**
 * The confirmation: what will be moved and the total bytes; Cancel has the focus until `yes` is
 * typed. Enter with anything else, or Esc, cancels.
 */
export function ConfirmDialog({index, paths, typed, width, height}: ConfirmDialogProps) {
	const total = markedBytes(index, paths);
	const ready = typed === 'yes';
	// Title, blank, list…, blank, total, blank, prompt, buttons.
	const room = Math.max(1, height - 7);
	const listed = paths.length > room ? paths.slice(0, room - 1) : paths;
	const sizeWidth = 9;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold color={MARKS.marked.color} wrap="truncate">
				{truncateEnd(`Move ${formatCountOf(paths.length, 'marked orphan')} to the quarantine (.fcx-quarantine/ inside the root, restorable)?`, width)}
			</Text>
			<Text> </Text>
			{listed.map((path) => (
				<Text key={path} wrap="truncate">
					{`  ${MARKS.marked.glyph} ${fit(formatBytes(index.orphanAt(path)?.bytes ?? -1), sizeWidth, 'right')}  ${truncateMiddle(relativeToRoot(index.analysis.roots, path), Math.max(10, width - sizeWidth - 7))}`}
				</Text>
			))}
			{listed.length < paths.length ? <Text dimColor>{`  … and ${formatCount(paths.length - listed.length)} more`}</Text> : null}
			<Text> </Text>
			<Text
				bold
				wrap="truncate"
			>{`Total: ${formatCount(paths.length)} entr${paths.length === 1 ? 'y' : 'ies'}, ${formatBytes(total)}. Each is re-checked just before it is moved.`}</Text>
			<Text> </Text>
			<Text wrap="truncate">
				{'Type yes and press ⏎ to move them; anything else or Esc cancels: '}
				<Text bold color="cyan">{`${typed}▏`}</Text>
			</Text>
			<Text wrap="truncate">
				<Text inverse={!ready} bold={!ready}>{`${ready ? '  ' : '❯ '}[ Cancel ]`}</Text>
				{'   '}
				<Text inverse={ready} bold={ready} color={ready ? MARKS.marked.color : undefined}>{`${ready ? '❯ ' : '  '}[ Move to quarantine ]`}</Text>
			</Text>
		</Box>
	);
}

/** The title of the result panel. */
export function quarantineTitle(quarantine: QuarantineState): PanelLine {
	switch (quarantine.state) {
		case 'running':
			return {text: `Moving ${formatCountOf(quarantine.paths.length, 'orphan')} to the quarantine, re-checking each first…`, color: 'cyan'};
		case 'failed':
			return {text: `${MARKS.missing.glyph} Quarantine failed: ${quarantine.error.split('\n')[0]}`, color: MARKS.missing.color};
		case 'done': {
			const {records} = quarantine.result;
			const moved = records.filter((record) => record.action !== 'skipped').length;
			const skipped = records.length - moved;
			return {text: `Quarantine done: ${formatCount(moved)} moved, ${formatCount(skipped)} skipped`, color: skipped > 0 ? MARKS.warning.color : 'green'};
		}
	}
}

/** The body of the result panel; long values (log path, restore command) are wrapped, not cut. */
export function quarantineLines(index: AnalysisIndex, quarantine: QuarantineState, width: number, stale = true): PanelLine[] {
	const relative = (path: string) => relativeToRoot(index.analysis.roots, path);
	const lines: PanelLine[] = [];
	const wrapped = (text: string, style: Omit<PanelLine, 'text'> = {}) => {
		for (const part of wrapColumns(text, width - 2)) {
			lines.push({text: `  ${part}`, ...style});
		}
	};

	if (quarantine.state === 'running') {
		for (const path of quarantine.paths) {
			lines.push({text: `  ${MARKS['in-progress'].glyph} ${relative(path)}`});
		}

		return lines;
	}

	if (quarantine.state === 'failed') {
		lines.push({text: 'Part of it may have been done: the log of the run says exactly what. Nothing else was touched.'});
		for (const path of quarantine.paths) {
			lines.push({text: `  ? ${relative(path)}`});
		}
	} else {
		const {records, logPath, restoreCommand} = quarantine.result;
		for (const record of records) {
			if (record.action === 'skipped') {
				lines.push({text: `  ${MARKS.warning.glyph} skipped  ${relative(record.path)}: ${record.reason ?? 'no reason given'}`, color: MARKS.warning.color});
			} else {
				lines.push({
					text: `  ✓ ${record.action === 'deleted' ? 'deleted' : 'moved  '}  ${relative(record.path)}${record.quarantinePath ? ` → ${relative(record.quarantinePath)}` : ''}`,
				});
			}
		}

		lines.push({text: ' '}, {text: 'Log:', bold: true});
		wrapped(logPath);
		lines.push({text: 'Restore command:', bold: true});
		if (restoreCommand === null) {
			lines.push({text: '  (nothing was moved: nothing to restore)', dim: true});
		} else {
			wrapped(restoreCommand, {color: 'cyan'});
		}
	}

	lines.push(
		{text: ' '},
		stale
			? {text: 'The lists are now stale: press R to rescan (or q, and re-run fcx). Esc closes this panel.', color: MARKS.warning.color}
			: {text: 'The tree was rescanned after the quarantine: the lists are up to date. Esc closes this panel.'},
	);
	return lines;
}

/** Props of {@link QuarantinePanel}. */
export interface QuarantinePanelProps {
	index: AnalysisIndex;
	quarantine: QuarantineState;
	top: number;
	width: number;
	height: number;
	/** The lists are out of date (no rescan yet since the quarantine); default true. */
	stale?: boolean;
}

/** Largest scroll offset of the result panel. */
export function quarantineMax(index: AnalysisIndex, quarantine: QuarantineState, width: number, height: number, stale = true): number {
	return panelMax(quarantineLines(index, quarantine, width, stale).length, height);
}

/** The result panel. */
export function QuarantinePanel({index, quarantine, top, width, height, stale = true}: QuarantinePanelProps) {
	return <Panel title={quarantineTitle(quarantine)} lines={quarantineLines(index, quarantine, width, stale)} top={top} width={width} height={height} />;
}
