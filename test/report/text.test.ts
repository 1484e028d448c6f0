import {describe, expect, it} from 'vitest';
import {GLYPHS, reportToText} from '../../source/report/index.js';
import {JOB_A, JOB_B, sampleAnalysis} from './sample-analysis.js';

describe('reportToText', () => {
	const text = reportToText(sampleAnalysis());

	it('has the sections in order', () => {
		const order = ['SUMMARY', `JOB ${JOB_A}`, `JOB ${JOB_B}`, 'SAVEPOINTS', 'ORPHANS', 'MISSING', 'WARNINGS'].map((heading) => text.indexOf(heading));
		expect(order.every((index) => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
	});

	it('uses glyphs together with words', () => {
		expect(text).toContain(`${GLYPHS.missing} missing`);
		expect(text).toContain(`${GLYPHS.orphan} orphan`);
		expect(text).toContain(`${GLYPHS.crossJob} cross-job`);
		expect(text).toContain(`${GLYPHS.inProgress} possibly in progress`);
	});

	it('lists checkpoints, dependencies, orphans, missing files and warnings', () => {
		expect(text).toMatch(/chk-9 {2}checkpoint {2}id 9 {2}v6/);
		expect(text).toContain('FORWARD_BACKWARD');
		expect(text).toContain('Savepoint, NATIVE');
		expect(text).toMatch(new RegExp(`↗ cross-job {2}shared job ${JOB_A}: .*/${JOB_A}/shared`));
		expect(text).toContain('incomplete-checkpoint');
		expect(text).toContain('Reclaimable: 3 kB (3,000 bytes) in 3 orphans (1 entry possibly in progress not counted)');
		expect(text).toContain(`referenced by: /data/tree/checkpoints/${JOB_B}/chk-11`);
		expect(text).toContain('uri: hdfs://nn:8020/flink/checkpoints/');
		expect(text).toContain('something odd');
		expect(text).toContain('unreadable');
		expect(text.indexOf('chk-9 ')).toBeLessThan(text.indexOf('chk-10 '));
		// No colour unless asked.
		expect(text).not.toContain('\u001B[');
	});

	it('adds ANSI colour only when asked, with the same words', () => {
		const colored = reportToText(sampleAnalysis(), {color: true});
		expect(colored).toContain('\u001B[');
		// eslint-disable-next-line no-control-regex
		expect(colored.replace(/\u001B\[\d+m/g, '')).toBe(text);
	});

	it('is deterministic', () => {
		expect(reportToText(sampleAnalysis())).toBe(text);
	});
});
