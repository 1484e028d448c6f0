/**
 * The referenced-by view: the loaded checkpoints that reference a file or storage directory.
 */
import {baseName} from '../../tree/layout.js';
import {formatCountOf} from '../../text/index.js';
import type {ListModel, Row} from './types.js';
import {type AnalysisIndex, relativeToRoot, referencingCheckpoints} from './analysis-index.js';
import {CHECKPOINT_COLUMNS, checkpointRow} from './checkpoints-view.js';

/** The checkpoints that reference `path` (a file or storage directory), one row each with its job. */
export function buildReferencedBy(index: AnalysisIndex, path: string): ListModel {
	const checkpoints = referencingCheckpoints(index, path);
	const rows: Row[] = [];
	for (const checkpointPath of checkpoints) {
		const checkpoint = index.checkpointByPath.get(checkpointPath);
		if (checkpoint) {
			rows.push(checkpointRow(index, checkpoint, true));
		}
	}

	const empty = `No loaded checkpoint references ${relativeToRoot(index.analysis.roots, path)}.`;
	return {
		crumb: `Referenced by ${baseName(path) || path}`,
		empty,
		summary: `${formatCountOf(rows.length, 'checkpoint')} need${rows.length === 1 ? 's' : ''} ${path}`,
		sections: [{id: 'referencedBy', columns: [{title: 'Job', width: 10}, ...CHECKPOINT_COLUMNS], rows, empty}],
	};
}
