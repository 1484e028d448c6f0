/** The impact panel of `d`: what deleting a checkpoint, savepoint, job or orphan would do (what-if only). */
import type {WhatIfResult} from '../../analysis/types.js';
import {shortJobId, wrapColumns} from '../format.js';
import {formatBytes, formatCount, formatCountOf} from '../../text/index.js';
import {MARKS} from '../marks.js';
import {checkpointLabel, relativeToRoot, type AnalysisIndex} from '../views/build.js';
import type {ImpactTarget} from '../views/types.js';
import {Panel, panelMax, type PanelLine} from './panel.js';

/** The title line of the impact panel. */
export function impactTitle(target: ImpactTarget): PanelLine {
	return {text: `Impact of deleting ${target.label} — what-if only, nothing is changed`, color: 'cyan'};
}

/** How a checkpoint path is named in the panel: `job 3f2a1b2c… chk-42`, else the path relative to the root. */
function checkpointName(index: AnalysisIndex, path: string): string {
	const checkpoint = index.checkpointByPath.get(path);
	if (!checkpoint) {
		return relativeToRoot(index.analysis.roots, path);
	}

	return `${checkpoint.jobId === null ? '' : `job ${shortJobId(checkpoint.jobId)} `}${checkpointLabel(checkpoint)}`;
}

const LIST_LIMIT = 200;

/** The body of the impact panel. */
export function impactLines(index: AnalysisIndex, result: WhatIfResult | Error, width: number): PanelLine[] {
	if (result instanceof Error) {
		return [{text: `${MARKS.warning.glyph} the impact could not be computed: ${result.message}`, color: MARKS.warning.color}];
	}

	const relative = (path: string) => relativeToRoot(index.analysis.roots, path);
	const lines: PanelLine[] = [];
	lines.push({text: `Targets:   ${result.targets.map(relative).join(', ')}`});
	lines.push({text: `Frees:     ${formatCountOf(result.freedFiles.length, 'file')}, ${formatBytes(result.freedBytes)}`, bold: true});
	lines.push({
		text: `Removes:   ${formatCountOf(result.removedCheckpoints.length, 'checkpoint')}${result.removedCheckpoints.length === 0 ? '' : `: ${result.removedCheckpoints.map((path) => checkpointName(index, path)).join(', ')}`}`,
	});
	const unknown = result.unreadable?.length ?? 0;
	if (result.broken.length === 0 && unknown > 0) {
		lines.push({
			text: `Breaks:    ${MARKS.warning.glyph} unknown: ${formatCountOf(unknown, 'snapshot')} that may reference the targets could not be read`,
			color: MARKS.warning.color,
			bold: true,
		});
	} else if (result.broken.length === 0) {
		lines.push({text: 'Breaks:    no remaining checkpoint loses a file'});
	} else {
		lines.push({
			text: `Breaks:    ${MARKS.missing.glyph} ${formatCountOf(result.broken.length, 'remaining checkpoint')} would lose referenced files:`,
			color: MARKS.missing.color,
			bold: true,
		});
		for (const broken of result.broken.slice(0, LIST_LIMIT)) {
			const files = broken.lostFiles.slice(0, 3).map(relative).join(', ');
			lines.push({
				text: `  ${MARKS.missing.glyph} ${checkpointName(index, broken.checkpointPath)} loses ${formatCountOf(broken.lostFiles.length, 'file')}: ${files}${broken.lostFiles.length > 3 ? ', …' : ''}`,
				color: MARKS.missing.color,
			});
		}
	}

	for (const warning of result.warnings) {
		// Paths in warnings are absolute: show them relative to their root, and wrap rather than cut.
		const text = index.analysis.roots.reduce((current, root) => current.split(`${root.replace(/\/+$/, '')}/`).join(''), warning);
		wrapColumns(`${MARKS.warning.glyph} ${text}`, width - 2).forEach((part, position) => {
			lines.push({text: position === 0 ? part : `  ${part}`, color: MARKS.warning.color});
		});
	}

	if (result.freedFiles.length > 0) {
		lines.push({text: ' '}, {text: 'Files that would be freed:', bold: true});
		for (const file of result.freedFiles.slice(0, LIST_LIMIT)) {
			lines.push({text: `  ${relative(file)}`});
		}

		if (result.freedFiles.length > LIST_LIMIT) {
			lines.push({text: `  … and ${formatCount(result.freedFiles.length - LIST_LIMIT)} more`, dim: true});
		}
	}

	lines.push({text: ' '}, {text: 'Nothing has been changed. Esc closes this panel.', dim: true});
	return lines;
}

/** Props of {@link ImpactPanel}. */
export interface ImpactPanelProps {
	index: AnalysisIndex;
	target: ImpactTarget;
	result: WhatIfResult | Error;
	top: number;
	width: number;
	height: number;
}

/** Largest scroll offset of the impact panel. */
export function impactMax(index: AnalysisIndex, result: WhatIfResult | Error, width: number, height: number): number {
	return panelMax(impactLines(index, result, width).length, height);
}

/** The impact overlay. */
export function ImpactPanel({index, target, result, top, width, height}: ImpactPanelProps) {
	return <Panel title={impactTitle(target)} lines={impactLines(index, result, width)} top={top} width={width} height={height} />;
}
