/**
 * Issue 24, defect 6: Enter on a dead job (no checkpoint left) and on an orphan directory opens
 * the directory's scanned files with their size, age and why each is an orphan, instead of a dead end;
 * and (defect 5) the breadcrumb's row counter only where the list is shown.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis, JobSummary} from '../../source/analysis/types.js';
import {Explorer} from '../../source/ui/index.js';
import {JOB_B, NOW, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const HOUR = 3_600_000;
const DEAD_JOB = 'c0c0c0c0d1d1d1d1e2e2e2e2f3f3f3f3';
const DEAD_PATH = `${ROOT}/${DEAD_JOB}`;

/** The fixture plus a dead job (its directory is one `dead-job` orphan) and the files of both orphan directories. */
function withDeadJob(): Analysis {
	const analysis = makeAnalysis();
	const dead: JobSummary = {
		jobId: DEAD_JOB,
		path: DEAD_PATH,
		label: DEAD_JOB,
		checkpoints: [],
		latestCheckpointId: null,
		bytesOnDisk: 3000,
		orphanBytes: 3000,
		orphans: 1,
		damaged: 0,
		exclusiveBytes: 0,
		missing: 0,
		referencesJobs: [],
		timeMs: NOW - 72 * HOUR,
	};
	analysis.jobs.splice(2, 0, dead);
	analysis.orphans.push({
		path: DEAD_PATH,
		type: 'directory',
		reason: 'dead-job',
		description: 'job directory without a complete checkpoint',
		bytes: 3000,
		files: 2,
		jobId: DEAD_JOB,
		timeMs: NOW - 72 * HOUR,
		possiblyInProgress: false,
	});
	const scanned = analysis.scannedFiles as Map<string, {size: number; mtimeMs: number}>;
	scanned.set(`${DEAD_PATH}/shared/dead-0001.sst`, {size: 2000, mtimeMs: NOW - 72 * HOUR});
	scanned.set(`${DEAD_PATH}/chk-3/state-part`, {size: 1000, mtimeMs: NOW - 80 * HOUR});
	scanned.set(`${ROOT}/${JOB_B}/chk-5/partial-0001`, {size: 400_000, mtimeMs: NOW - 48 * HOUR});
	return analysis;
}

describe('dead ends open the directory', () => {
	test('Enter on a dead job lists its files with size, age and reason', async () => {
		const ui = await renderSized(<Explorer analysis={withDeadJob()} />, 80, 30);
		await ui.press(KEYS.down, KEYS.down);
		expect(stripAnsi(ui.frame())).toMatch(/❯.*c0c0/);
		await ui.press(KEYS.enter);
		await ui.waitFor('dead-0001.sst');
		const frame = stripAnsi(ui.frame());
		expect(frame).not.toContain('no checkpoints');
		expect(frame).toMatch(/shared\/dead-0001\.sst\s+2(\.0)? kB\s+3d\s+dead job/);
		expect(frame).toMatch(/chk-3\/state-part\s+1(\.0)? kB\s+3d\s+dead job/);
		expect(frame).toContain('2 files (3 kB)');
	});

	test('Enter on an orphan directory lists its files', async () => {
		const ui = await renderSized(<Explorer analysis={withDeadJob()} />, 80, 30);
		await ui.press('o');
		await ui.waitFor('Orphans');
		// Rows in name order: the dead job's directory first, then chk-43 of job A, then chk-5 of job B.
		for (let step = 0; step < 5 && !/❯.*chk-5/.test(stripAnsi(ui.frame())); step++) await ui.press(KEYS.down);
		expect(stripAnsi(ui.frame())).toMatch(/❯.*chk-5/);
		await ui.press(KEYS.enter);
		await ui.waitFor('partial-0001');
		const frame = stripAnsi(ui.frame());
		expect(frame).not.toContain('works in the views');
		expect(frame).toMatch(/partial-0001\s+400 kB\s+2d\s+incomplete/);
	});
});

describe('the breadcrumb counts only what is shown', () => {
	test('the Help breadcrumb has no row counter of the Jobs list it hides', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 100, 30);
		expect(stripAnsi(ui.frame()).split('\n')[2]).toMatch(/^Jobs\s+1\/3$/);
		await ui.press('?');
		await ui.waitFor(/Jobs › Help/);
		expect(stripAnsi(ui.frame()).split('\n')[2]).toMatch(/^Jobs › Help\s*$/);
	});
});

describe('one way to cut a job id', () => {
	test('a Jobs column too narrow for a full id cuts it as the breadcrumb does', async () => {
		const ui = await renderSized(<Explorer analysis={withDeadJob()} />, 80, 30);
		const frame = stripAnsi(ui.frame());
		expect(frame).toMatch(/❯ \S+\s+3f2a1b2c…\s/);
		expect(frame).not.toContain('3f2a…');
		await ui.press(KEYS.enter);
		await ui.waitFor(/Jobs › 3f2a1b2c…/);
	});
});
