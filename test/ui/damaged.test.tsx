/**
 * The explorer shows damaged (truncated) files next to the missing ones, the newest restorable
 * checkpoint in the Jobs view and the exclusive bytes in the details (#21.4, #21.7): a real analysis
 * of a small tree, rendered with ink-testing-library.
 */
import {mkdirSync, truncateSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import type {Analysis} from '../../source/analysis/types.js';
import {writeMetadata} from '../../source/metadata/index.js';
import type {IncrementalRemoteKeyedStateHandle, StreamStateHandle} from '../../source/metadata/types.js';
import {Explorer} from '../../source/ui/index.js';
import {buildView, indexAnalysis} from '../../source/ui/views/build.js';
import {readResult} from '../analysis/helpers.js';
import {tempDir} from '../support/temp.js';
import {KEYS, renderSized, waitFor} from './helpers.js';

afterEach(() => {
	cleanup();
});

const JOB = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1';
// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');

/** chk-1 needs `ok` (100 B); chk-2 needs `ok` and `cut` (4,000 B, truncated to 1,000). */
async function damagedTree(): Promise<{dir: string; analysis: Analysis}> {
	const dir = tempDir('fcx-ui-damaged-');
	const put = (rel: string, content: Uint8Array): string => {
		const p = join(dir, rel);
		mkdirSync(dirname(p), {recursive: true});
		writeFileSync(p, content);
		return p;
	};
	const metadata = (rel: string, id: number, handles: StreamStateHandle[]): void => {
		const {metadata} = readResult(id, []);
		const subtask = metadata.operators[0].subtasks[0];
		if (subtask.finished) throw new Error('unexpected finished subtask');
		const keyed = subtask.state.managedKeyedState as IncrementalRemoteKeyedStateHandle;
		keyed.sharedState = handles.map((handle, i) => ({localPath: `00000${i}.sst`, handle}));
		keyed.checkpointedSize = 0;
		keyed.stateHandleId = `h-${id}`;
		put(`${rel}/_metadata`, writeMetadata(metadata));
	};
	const ok = put(`${JOB}/shared/ok`, new Uint8Array(100));
	const cut = put(`${JOB}/shared/cut`, new Uint8Array(4000));
	metadata(`${JOB}/chk-1`, 1, [{tag: 2, path: ok, size: 100}]);
	metadata(`${JOB}/chk-2`, 2, [
		{tag: 2, path: ok, size: 100},
		{tag: 2, path: cut, size: 4000},
	]);
	truncateSync(cut, 1000);
	return {dir, analysis: await analyse([dir], {minAgeMs: 0})};
}

/** Waits (up to {@link waitFor}'s timeout) until the frame matches `pattern`; returns it (the test's expectation says what it lacks). */
async function frameMatching(frame: () => string, pattern: RegExp): Promise<string> {
	await waitFor(frame, () => pattern.test(stripAnsi(frame()))).catch(() => undefined);
	return stripAnsi(frame());
}

describe('damaged files, restorable checkpoint and exclusive bytes in the explorer', () => {
	test('views: the Restorable column, the damaged section next to missing files, the details', async () => {
		const {dir, analysis} = await damagedTree();
		const index = indexAnalysis(analysis);
		const [jobs] = buildView(index, {type: 'jobs'}).sections;
		expect(jobs.columns.map((column) => column.title)).toContain('Restorable');
		const row = jobs.rows[0];
		expect(row.cells[jobs.columns.findIndex((column) => column.title === 'Restorable')]).toBe('chk-1');
		expect(row.cells[jobs.columns.findIndex((column) => column.title === 'Latest')]).toBe('chk-2');
		expect(row.marks).toContain('missing');
		expect(row.details()).toContainEqual({label: 'Checkpoints', value: '2 with _metadata, latest: chk-2 has damaged files', mark: 'missing'});
		expect(row.details()).toContainEqual({label: 'Restorable', value: 'chk-1 (newest complete)'});
		// ok (100 B) and cut (1,000 B on disk) and both _metadata: no other job uses them.
		expect(analysis.jobs[0].exclusiveBytes).toBe(1100 + metadataBytes(analysis));
		expect(row.details()).toContainEqual({
			label: 'Exclusive',
			value: `${formatted(analysis.jobs[0].exclusiveBytes)} (freed by deleting its snapshots; no other job uses them)`,
		});

		const missing = buildView(index, {type: 'missing'});
		expect(missing.sections.map((section) => section.id)).toEqual(['missing', 'damaged']);
		const [damaged] = missing.sections[1].rows;
		expect(damaged.cells).toEqual([`${JOB}/shared/cut`, '1 kB', '4 kB', '1']);
		expect(damaged.marks).toEqual(['missing']);
		expect(damaged.open).toEqual({type: 'referencedBy', path: join(dir, JOB, 'shared/cut')});

		const chk2 = buildView(index, {type: 'checkpoints', jobPath: join(dir, JOB)}).sections[0].rows.find((r) => r.cells[0] === 'chk-2')!;
		expect(chk2.marks).toContain('missing');
		expect(chk2.details()).toContainEqual({
			label: 'Exclusive',
			value: `${formatted(analysis.checkpoints.find((cp) => cp.checkpointId === 2)!.sizes.exclusiveBytes)} (freed by deleting it alone)`,
		});
		expect(chk2.details()).toContainEqual({label: 'Files', value: '2 (0 missing, 1 damaged, 0 outside)', mark: 'missing'});
	});

	test('explorer: the header counts damaged files, the Jobs view shows the restorable column when wide enough, the menu opens the damaged files', async () => {
		const {analysis} = await damagedTree();
		// 100 columns, details below the list: the columns take what they hold, room for the full job id and the column.
		const ui = await renderSized(<Explorer analysis={analysis} />, 100, 30);
		let frame = await frameMatching(ui.frame, /Restorable/);
		expect(frame).toContain('✗ 1 damaged');
		expect(frame).toMatch(/Latest\s+Restorable/);
		expect(frame).toMatch(/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\s+2\s+chk-2\s+chk-1\s/);
		// 80 columns: no room for the full job id even without the column: it is left out (the details still say it), the id cut.
		await ui.resize(80, 30);
		frame = await frameMatching(ui.frame, /^(?![\s\S]*Latest\s+Restorable)/);
		expect(frame).not.toMatch(/Latest\s+Restorable/);
		expect(frame).toMatch(/❯ ✗\s+aaaaaaaa…\s+2\s+chk-2\s/);
		await ui.press('v');
		frame = await frameMatching(ui.frame, /Missing files \(0, 1 damaged\)/);
		expect(frame).toContain('Missing files (0, 1 damaged)');
		await ui.pressSlowly(KEYS.down, KEYS.down, KEYS.enter);
		frame = await frameMatching(ui.frame, /Damaged files/);
		expect(frame).toContain('Damaged files (shorter than the metadata says)');
		expect(frame).toMatch(/✗\s+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\/shared\/cut\s+1 kB\s+4 kB\s+1/);
	});
});

function metadataBytes(analysis: Analysis): number {
	return analysis.checkpoints.reduce((sum, cp) => sum + cp.sizes.metadataBytes, 0);
}

function formatted(bytes: number): string {
	return bytes >= 1000 ? `${(bytes / 1000).toPrecision(3).replace(/\.?0+$/, '')} kB` : `${bytes} B`;
}
