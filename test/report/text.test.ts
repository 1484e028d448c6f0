import {describe, expect, it} from 'vitest';
import {executionToText, reportToText, whatIfToText} from '../../source/report/index.js';
import {GLYPHS, STYLE_SEQUENCES} from '../../source/text/index.js';
import {JOB_A, JOB_B, sampleAnalysis} from './sample-analysis.js';

describe('reportToText', () => {
	const text = reportToText(sampleAnalysis());

	it('has the sections in order', () => {
		const order = ['SUMMARY', `JOB ${JOB_A}`, `JOB ${JOB_B}`, 'SAVEPOINTS', 'ORPHANS', 'MISSING', 'WARNINGS'].map((heading) => text.indexOf(heading));
		expect(order.every((index) => index >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
	});

	it('says where to point fcx when the roots hold no checkpoint or savepoint at all', () => {
		const hint = 'No checkpoint or savepoint found';
		expect(text).not.toContain(hint);
		const empty = reportToText({...sampleAnalysis(), jobs: [], checkpoints: [], orphans: [], missing: [], referencedBy: new Map()});
		expect(empty).toContain(`${hint}: no _metadata file, and no chk-<n> directory, under the roots.`);
		expect(empty).toContain('state.checkpoints.dir');
	});

	it("names a job's newest complete checkpoint when its latest one has missing files", () => {
		expect(text).toContain('latest 11 (missing files; newest complete none)');
		expect(text).toMatch(/latest 10(?! \()/);
		// The savepoints group holds unrelated jobs' snapshots: no latest one.
		const group = text.split('\n').findIndex((line) => line.startsWith('SAVEPOINTS'));
		expect(text.split('\n')[group + 1]).not.toContain('latest');
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
		expect(text).toContain('own dir 10 B, shared with other snapshots 40 B, inline 200 B');
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

	it('writes control characters of names as \\xHH, in colour too, and keeps each entry on its line', () => {
		const analysis = sampleAnalysis();
		const evil = `${analysis.orphans[0].path}\u001B[2J\u001B]0;title\u0007\n  ⊘ orphan  fake\u009B31m`;
		analysis.orphans[0] = {...analysis.orphans[0], path: evil};
		analysis.warnings.push({code: 'vanished', path: evil, message: 'bell\u0007'});
		for (const color of [false, true]) {
			const report = reportToText(analysis, {color});
			expect(report).toContain('unused-2\\x1b[2J\\x1b]0;title\\x07\\x0a  ⊘ orphan  fake\\x9b31m');
			expect(report).toContain('bell\\x07');
			// Only the report's own colour sequences are left, and only with colour.
			const controls = report
				// eslint-disable-next-line no-control-regex
				.replace(/\u001B\[\d+m/g, (sequence) => (color && STYLE_SEQUENCES.has(sequence) ? '' : sequence))
				// eslint-disable-next-line no-control-regex
				.match(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g);
			expect(controls).toBeNull();
		}
	});
});

describe('action texts', () => {
	it('write control characters of paths as \\xHH', () => {
		const path = '/data/x\u001B[8mhidden\nnext';
		const texts = [
			whatIfToText({targets: [path], freedFiles: [], freedBytes: 0, broken: [], unreadable: [], removedCheckpoints: [], warnings: []}),
			executionToText({records: [{path, action: 'skipped', reason: 'changed\u0007', bytes: 1}], logPath: '/l', restoreCommand: null, quarantineDir: null}),
		];
		for (const output of texts) {
			expect(output).toContain('/data/x\\x1b[8mhidden\\x0anext');
			// eslint-disable-next-line no-control-regex
			expect(output).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		}
	});
});
