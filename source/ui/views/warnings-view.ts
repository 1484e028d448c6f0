/**
 * The warnings view: one row per warning of the analysis.
 */
import type {Warning} from '../../analysis/types.js';
import type {ListModel, Row} from './types.js';
import {type AnalysisIndex, relativeToRoot} from './analysis-index.js';

function warningRow(index: AnalysisIndex, warning: Warning, position: number): Row {
	return {
		key: `warning:${position}`,
		cells: [relativeToRoot(index.analysis.roots, warning.path), warning.message],
		marks: ['warning'],
		sortName: warning.path,
		sortSize: 0,
		sortTime: 0,
		details: () => [
			{label: 'Path', value: warning.path},
			{label: 'Message', value: warning.message, mark: 'warning'},
		],
	};
}

/** The warnings view: one row per warning, in the analysis's order. */
export function buildWarnings(index: AnalysisIndex): ListModel {
	const empty = 'No warnings.';
	return {
		crumb: 'Warnings',
		empty,
		sections: [
			{
				id: 'warnings',
				columns: [
					{title: 'Path', width: 'flex', minWidth: 12, cut: 'path'},
					{title: 'Message', width: 'flex', minWidth: 12, cut: 'end'},
				],
				rows: index.analysis.warnings.map((warning, position) => warningRow(index, warning, position)),
				empty,
			},
		],
	};
}
