/**
 * Issue 24, "the why of storage": the Files view names each file's RocksDB name and operator; the
 * storage view of a job (`u`) breaks its directory down with bars; the quarantines are visible.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import {Explorer} from '../../source/ui/index.js';
import {J1, J2, NOW, tree} from '../cleanup/helpers.js';
import {stripAnsi, waitForFrame} from './ergonomics-support.js';
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
		expect(files).toMatch(/File\s+Size\s+Status\s+Handle\s+Refs\s+RocksDB\s+Operator/);
		expect(files).toMatch(/❯.*aaaa-uuid-one\s+16 B\s+exists\s+file\s+2\s+000000\.sst\s+KeyedProcess/);
		expect(files).toMatch(/bbbb-uuid-two\s+16 B\s+exists\s+file\s+1\s+000001\.sst\s+KeyedProcess/);
		expect(files).toMatch(/Operator\s+KeyedProcess \(uid proc, id aaaabbbb/);
		expect(files).toMatch(/RocksDB name\s+000000\.sst \(shared state of an/);
	});

	test('at 100 columns the File column keeps a whole UUID: the RocksDB name and the operator give way', async () => {
		const {analysis} = await claimedTree();
		const ui = await renderSized(<Explorer analysis={analysis} />, 100, 30);
		await waitForFrame(ui.frame, /❯.*aaaa/);
		await ui.press(KEYS.enter, KEYS.enter);
		await waitForFrame(ui.frame, /❯.*shared/);
		await ui.press(KEYS.enter);
		const files = await waitForFrame(ui.frame, /❯.*aaaa-uuid-one/);
		expect(files).not.toContain('RocksDB  ');
		expect(files).toMatch(/RocksDB name\s+000000\.sst/);
	});
});
