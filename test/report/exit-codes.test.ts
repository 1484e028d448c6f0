import {describe, expect, it} from 'vitest';
import {EXIT_MISSING_FILES, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE, exitCodeFor} from '../../source/report/index.js';
import {JOB_A, ROOT, sampleAnalysis} from './sample-analysis.js';

describe('exit codes', () => {
	it('has the documented values', () => {
		expect([EXIT_OK, EXIT_MISSING_FILES, EXIT_USAGE, EXIT_UNREADABLE]).toEqual([0, 1, 2, 3]);
	});

	it('is 1 with missing files, 0 without', () => {
		const analysis = sampleAnalysis();
		expect(exitCodeFor(analysis)).toBe(EXIT_MISSING_FILES);
		analysis.missing = [];
		for (const checkpoint of analysis.checkpoints) {
			checkpoint.missing = 0;
			if (checkpoint.status === 'missing-files') {
				checkpoint.status = 'complete';
			}
		}

		expect(exitCodeFor(analysis)).toBe(EXIT_OK);
	});

	it('is 3 when an explicitly given _metadata (or its directory) does not parse', () => {
		const analysis = sampleAnalysis();
		const chk13 = `${ROOT}/checkpoints/${JOB_A}/chk-13`;
		expect(exitCodeFor(analysis, [`${chk13}/_metadata`])).toBe(EXIT_UNREADABLE);
		expect(exitCodeFor(analysis, [`${chk13}/`])).toBe(EXIT_UNREADABLE);
		// Found while walking the tree: only a warning.
		expect(exitCodeFor(analysis, [ROOT])).toBe(EXIT_MISSING_FILES);
	});
});
