/**
 * Issue 24, "the why of storage": the Files view names each file's RocksDB name and operator; the
 * storage view of a job (`u`) breaks its directory down with bars; the quarantines are visible.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {executePlan, makePlan} from '../../source/cleanup/index.js';
import {Explorer} from '../../source/ui/index.js';
import {J1, J2, NOW, tree} from '../cleanup/helpers.js';
import {waitForFrame} from './ergonomics-support.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

/** J1's chk-3 references two shared files (RocksDB 000000.sst and 000001.sst of operator KeyedProcess, uid proc); J2 still needs one of them. */
async function claimedTree() {
	const t = tree('fcx-ui-storage-');
	t.file(`${J1}/shared/aaaa-uuid-one`);
	t.file(`${J1}/shared/bbbb-uuid-two`);
	t.file(`${J1}/shared/orphan`);
	t.metadata(`${J1}/chk-3`, 3, [`${J1}/shared/aaaa-uuid-one`, `${J1}/shared/bbbb-uuid-two`]);
	t.file(`${J2}/shared/c`);
	t.metadata(`${J2}/chk-4`, 4, [`${J1}/shared/aaaa-uuid-one`, `${J2}/shared/c`]);
	return {t, analysis: await analyse([t.dir], {nowMs: NOW})};
}

describe('the Files view names RocksDB files and operators', () => {
	test("each file's RocksDB name and operator next to its name, and in its details", async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 200, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, /❯.*chk-3/);
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, /❯.*shared/);
		await ui.press(KEYS.enter);
		const files = await waitForFrame(ui.frame, /❯.*aaaa-uuid-one/);
		expect(files).toMatch(/File ▲\s+Size\s+Status\s+Handle\s+Refs\s+RocksDB\s+Operator/);
		expect(files).toMatch(/❯.*aaaa-uuid-one\s+16 B\s+exists\s+file\s+2\s+000000\.sst\s+KeyedProcess/);
		expect(files).toMatch(/bbbb-uuid-two\s+16 B\s+exists\s+file\s+1\s+000001\.sst\s+KeyedProcess/);
		expect(files).toMatch(/Operator\s+KeyedProcess \(uid proc, id[\s│]+aaaabbbb/);
		expect(files).toMatch(/RocksDB name\s+000000\.sst \(shared state of an/);
	});

	test('at 100 columns the File column keeps a whole name (the RocksDB name and the operator give way when they would cut it); the details show the RocksDB name', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 100, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press(KEYS.enter, KEYS.enter);
		await waitForFrame(ui.frame, /❯.*shared/);
		await ui.press(KEYS.enter);
		const files = await waitForFrame(ui.frame, /❯.*aaaa-uuid-one/);
		expect(files).toMatch(/❯\s+aaaa-uuid-one\s/);
		expect(files).toMatch(/RocksDB name\s+000000\.sst/);
	});
});

describe('the storage view of a job (u)', () => {
	test('u on a job: its directory by part with bars and percentages, what only it holds, and who still needs it', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 160, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press('u');
		const frame = await waitForFrame(ui.frame, /Jobs › Storage/);
		expect(frame).toMatch(/· \d+(\.\d+)?% of the tree · [\d.]+ k?B only this job · 16 B needed by other jobs/);
		expect(frame).toMatch(/❯\s+chk-<n> \(exclusive state, _metadata\)\s+\[#+ *\]\s+\d+\.\d%\s+[\d.]+ k?B\s+1/);
		expect(frame).toMatch(/shared\/ referenced or kept\s+\[#* *\]\s+\d+\.\d%\s+32 B\s+2/);
		expect(frame).toMatch(/⊘\s+shared\/ orphaned\s+\[#* *\]\s+\d+\.\d%\s+16 B\s+1/);
		expect(frame).toContain('Still needed by other jobs (16 B)');
		expect(frame).toMatch(/↗\s+bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2\s+\[#* *\]\s+\d+\.\d%\s+16 B\s+1/);
	});

	test('s sorts the parts by size, largest first; Enter on a part opens its files', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 160, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press('u');
		await waitForFrame(ui.frame, /Jobs › Storage/);
		await ui.press('s', KEYS.down);
		await waitForFrame(ui.frame, /❯\s+shared\/ referenced or kept/);
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, /Storage › shared\//);
		await waitForFrame(ui.frame, 'aaaa-uuid-one');
	});

	test('u in the checkpoints of a job shows that job; where there is no job it says what to select', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 160, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, /❯.*chk-3/);
		await ui.press('u');
		await waitForFrame(ui.frame, /› Storage/);
		await ui.press('o');
		await waitForFrame(ui.frame, /› Orphans/);
		await ui.press('u');
		await waitForFrame(ui.frame, 'u works in the views: Jobs, Checkpoints, Checkpoint');
	});
});

describe('quarantines are visible', () => {
	test('the header counts what is held; Q lists each clean run with size and age, its details the restore and empty commands', async () => {
		const {t, analysis: before} = await claimedTree();
		const result = await executePlan(makePlan(before, {nowMs: NOW}), {nowMs: NOW});
		const analysis = await analyse([t.dir], {nowMs: NOW + 3 * 86_400_000});
		const ui = await renderSized(<Explorer analysis={analysis} />, 200, 30);
		await waitForFrame(ui.frame, /B quarantined \(Q\)/);
		await ui.press('Q');
		const frame = await waitForFrame(ui.frame, /Jobs › Quarantines/);
		const run = result.quarantineDir!;
		expect(frame).toMatch(new RegExp(`❯\\s+\\.fcx-quarantine/${run.slice(run.lastIndexOf('/') + 1)}\\s+16 B\\s+1\\s+3d`));
		expect(frame).toContain('held until emptied');
		const details = frame.replaceAll(/\s*│\s*/g, ' ');
		expect(details).toContain('Restore');
		expect(details).toContain('sh ');
		expect(details).toContain('.restore.sh');
		expect(details).toContain('Empty');
		expect(details).toContain('rm -rf --');
	});

	test('the view menu lists the quarantines', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 120, 30);
		await ui.press('v');
		await waitForFrame(ui.frame, /Quarantines \(0 clean runs, 0 B held\)/);
	});
});
