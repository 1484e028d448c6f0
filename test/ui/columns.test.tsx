/**
 * Issue 24, defect 2: columns share the width by what they hold, at 80×24, 120×35 and 200×50. Long
 * snapshot names and orphan / missing-file paths keep their last segments (`…/savepoints/1.6`,
 * `chk-42/…`, `shared/…`) instead of 12 characters cut in the middle, a short column gives its room
 * away instead of padding, the list beside the details is never narrower than the full-width list
 * of a narrower terminal, and the side panel wraps at spaces.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis, CheckpointAnalysis} from '../../source/analysis/types.js';
import {Explorer} from '../../source/ui/index.js';
import {lines, selectedLine, waitForFrame} from './ergonomics-support.js';
import {A_SHARED, JOB_A, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** Snapshots outside job directories, named by their path below the group (as the shared corpus has hundreds). */
const LOOSE = [
	'apache+flink/flink-end-to-end-tests/flink-state-evolution-test/savepoints/1.6',
	'apache+flink/flink-libraries/flink-state-processing-api/src/test/resources/table-state',
];
/** An orphan whose directory (`chk-42`) is what matters, and a missing file whose `shared/` is. */
const ORPHAN = `${ROOT}/${JOB_A}/chk-42/0b1e7c2a-5d4f-4c3b-9e8a-7f6d5c4b3a21`;
const MISSING = `${A_SHARED}/f3c2b1a0-9e8d-4c7b-a6f5-e4d3c2b1a098.sst`;

/** The fixture plus long loose snapshot names, a deep orphan and a missing file with a long name. */
function wideAnalysis(): Analysis {
	const analysis = makeAnalysis();
	const group = analysis.jobs.find((job) => job.jobId === null)!;
	const template = group.checkpoints[0];
	for (const name of LOOSE) {
		const path = `${group.path}/${name}`;
		const loose: CheckpointAnalysis = {...template, path, metadataPath: `${path}/_metadata`, jobId: null, checkpointId: null, dependencies: [], files: []};
		group.checkpoints.push(loose);
		analysis.checkpoints.push(loose);
	}

	analysis.orphans.push({
		path: ORPHAN,
		type: 'file',
		reason: 'unreferenced-file',
		description: 'not referenced by any checkpoint',
		bytes: 2048,
		files: 1,
		jobId: JOB_A,
		timeMs: analysis.analysedAtMs - 48 * 3_600_000,
		possiblyInProgress: false,
	});
	analysis.missing.push({path: MISSING, uri: `hdfs://nn/flink/${JOB_A}/shared/x.sst`, referencedBy: [`${ROOT}/${JOB_A}/chk-42`]});
	return analysis;
}

/** Opens the group of snapshots outside job directories (the last row of the Jobs view). */
async function openLoose(ui: Awaited<ReturnType<typeof renderSized>>): Promise<string> {
	await ui.press('G', KEYS.enter);
	return waitForFrame(ui.frame, /Jobs › savepoints/);
}

/** The orphans view with the deep orphan selected (filtered to it). */
async function openOrphan(ui: Awaited<ReturnType<typeof renderSized>>): Promise<string> {
	await ui.press('o');
	await waitForFrame(ui.frame, /Orphans/);
	await ui.press('/', ...'0b1e7c2a', KEYS.enter);
	return waitForFrame(ui.frame, (frame) => selectedLine(frame).includes('3a21'));
}

describe('columns share the width by what they hold', () => {
	test('80×24: a missing file keeps its shared/ and name, orphans their chk-<n> and shared/', async () => {
		const ui = await renderSized(<Explorer analysis={wideAnalysis()} />, 80, 24);
		await ui.press('v');
		await waitForFrame(ui.frame, /Missing files/);
		await ui.pressSlowly(KEYS.down, KEYS.down, KEYS.enter);
		let frame = await waitForFrame(ui.frame, /f3c2b1a0/);
		expect(frame).toMatch(/3f2a1b2c\S*…\/shared\/f3c2b1a0-9e8d-4c7b-a6f5-e4d3c2b1a098\.sst\s+1/);
		await ui.press(KEYS.escape);
		frame = await openOrphan(ui);
		// The name alone fills the column; the other orphans keep their job's start and their directory.
		expect(selectedLine(frame)).toMatch(/0b1e7c2a-5d4f-4c3b-9e8a-7f6d5c4b3a21\s+file\s/);
		await ui.press('/', KEYS.backspace.repeat(8), KEYS.escape);
		frame = await waitForFrame(ui.frame, /chk-5/);
		expect(frame).toMatch(/3f2a1b2c\S*…\/chk-43\s+dir\s/);
		expect(frame).toMatch(/3f2a1b2c\S*…\/shared\/orphan-9999\.sst\s+file\s/);
		expect(frame).toMatch(/b0b0b0b0\S*…\/chk-5\s+dir\s/);
	});

	test('120×35: long snapshot names show their last segments, the list is as wide as the terminal', async () => {
		const ui = await renderSized(<Explorer analysis={wideAnalysis()} />, 120, 35);
		let frame = await waitForFrame(ui.frame, /Restored from/);
		// The full-width list (the details below it) has room for every Jobs column, as at 100 columns.
		expect(lines(frame)[3]).toMatch(/Job ▲\s+Snaps\s+Latest\s+Restorable\s+On disk\s+Orphans\s+Missing\s+Restored from/);
		expect(frame).toMatch(/^─{120}$/m);
		frame = await openLoose(ui);
		// 65 columns for names of 77 and 86: whole segments from the end, then from the start.
		expect(frame).toMatch(/apache\+flink\/flink-en[a-z-]*…\/flink-state-evolution-test\/savepoints\/1\.6\s+savepoint\s/);
		expect(frame).toMatch(/…\/flink-state-processing-api\/src\/test\/resources\/table-state\s+savepoint\s/);
		expect(frame).not.toMatch(/apac…/);
		await ui.press(KEYS.escape);
		frame = await openOrphan(ui);
		expect(selectedLine(frame)).toContain(`${JOB_A}/chk-42/0b1e7c2a-5d4f-4c3b-9e8a-7f6d5c4b3a21`);
	});

	test('200×50: the Job column is as wide as a job id, not padded; the side panel wraps at spaces', async () => {
		const ui = await renderSized(<Explorer analysis={wideAnalysis()} />, 200, 50);
		const frame = await waitForFrame(ui.frame, /Restored from/);
		const header = lines(frame)[3];
		expect(header.indexOf('Snaps') - header.indexOf('Job')).toBeLessThanOrEqual(32 + 1 + 'Snaps'.length);
		// The side panel: the job's Exclusive line wraps between words.
		const side = lines(frame).map((line) => line.split('│')[1]?.trim() ?? '');
		const start = side.findIndex((text) => text.startsWith('Exclusive'));
		expect(start).toBeGreaterThan(-1);
		const continued = [side[start].replace(/^Exclusive\s+/, '')];
		for (let index = start + 1; side[index] !== undefined && side[index] !== '' && !/^[A-Z]\S*\s{2,}/.test(side[index]); index++) {
			continued.push(side[index]);
		}

		expect(continued.length).toBeGreaterThan(1);
		expect(continued.join(' ')).toBe('0 B (freed by deleting its snapshots; no other job uses them)');
	});

	test('200×50: a snapshot list beside the details shows the names by their last segments', async () => {
		const ui = await renderSized(<Explorer analysis={wideAnalysis()} />, 200, 50);
		const frame = await openLoose(ui);
		expect(frame).toMatch(/apache\+flink\/…\/flink-state-processing-api\/src\/test\/resources\/table-state\s+savepoint\s/);
		expect(frame).toMatch(/…\/flink-end-to-end-tests\/flink-state-evolution-test\/savepoints\/1\.6\s+savepoint\s/);
	});
});
