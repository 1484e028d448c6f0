import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {KEY_BINDINGS} from '../../source/ui/keys.js';
import {Explorer, LoadingExplorer} from '../../source/ui/index.js';
import {naturalKey} from '../../source/text/index.js';
import {emptyAnalysis, makeAnalysis, manyOrphans, withManyFiles} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const lines = (frame: string) => stripAnsi(frame).split('\n');
const selectedLine = (frame: string) => lines(frame).find((line) => line.startsWith('❯')) ?? '';
const crumbLine = (frame: string) => lines(frame)[2];

describe('Explorer', () => {
	test('jobs view: header totals, rows with glyphs, footer hints', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		const frame = stripAnsi(ui.frame());
		expect(frame).toContain('roots: /data/flink');
		// Two jobs and the savepoints group, which is not a job (as in the report's summary).
		expect(frame).toContain('2 jobs');
		expect(frame).toContain('5 checkpoints');
		expect(frame).toContain('⊘ 2 orphans (1.9 MB)');
		expect(frame).toContain('✗ 1 missing');
		expect(crumbLine(frame)).toMatch(/^Jobs\s+1\/3$/);
		expect(frame).toContain('savepoints');
		expect(selectedLine(frame)).toContain('3f2a1b2c3d4e5f60718293a4b5c6d7e8');
		expect(selectedLine(frame)).toMatch(/✗⊘…/);
		// Its latest checkpoint (chk-42) has a missing file: the details name the one to restore from.
		expect(frame).toMatch(/Checkpoints\s+✗ 2 with _metadata \(\+ 1 in progress\), latest: chk-42 has missing files/);
		expect(frame).toMatch(/Restorable\s+chk-41 \(newest complete\)/);
		expect(lines(frame).find((line) => line.includes('b0b0b0b0'))).toMatch(/⊘↗.*3f2a1b2c…/);
		expect(frame).toContain('sort: name ↑');
		expect(frame).toContain('? help');
		expect(frame).toContain('q quit');
	});

	test('a count wider than its column is shown whole, not cut in the middle (102,400 files, not 10…400)', async () => {
		const analysis = makeAnalysis();
		const checkpoint = analysis.checkpoints.find((c) => c.path.endsWith('/chk-42'))!;
		checkpoint.dependencies[1].files = 102_400;
		const ui = await renderSized(<Explorer analysis={analysis} />);
		await ui.press(KEYS.enter, 'j', 'l');
		const frame = stripAnsi(ui.frame());
		expect(frame).toContain('Dependencies (2 directories)');
		expect(frame).toMatch(/ 102,400 /);
		expect(frame).not.toContain('10…400');
	});

	test('a file outside every scanned root (no local path) shows its referencing checkpoints as unknown (-), not 0', async () => {
		const analysis = makeAnalysis();
		const checkpoint = analysis.checkpoints.find((c) => c.path.endsWith('/chk-42'))!;
		for (const {fileList} of checkpoint.dependencies) {
			const outside = fileList.findIndex((f) => f.uri.endsWith('/0001.sst'));
			if (outside >= 0) fileList[outside] = {...fileList[outside], path: null, uri: 'hdfs://nn/flink/shared/0001.sst'};
		}
		const ui = await renderSized(<Explorer analysis={analysis} />);
		await ui.press(KEYS.enter, 'j', 'l', KEYS.down, KEYS.right);
		const frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('chk-42 › shared/');
		expect(frame).toMatch(/0001\.sst\s+5 MB \S+\s+file\s+-\s/);
	});

	test('navigates jobs → checkpoints → checkpoint → files and back', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press(KEYS.enter);
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Jobs › 3f2a1b2c…');
		expect(frame).toContain('chk-41');
		expect(frame).toMatch(/✗\s+chk-42 .*missing-files/);
		expect(frame).toMatch(/…\s+chk-43 .*in-progress/);

		await ui.press('j', 'l');
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Jobs › 3f2a1b2c… › chk-42');
		expect(frame).toContain('Dependencies (2 directories)');
		expect(frame).toContain('Operators (2)');
		expect(frame).toMatch(/KeyedProcess\s+2\s+256 keyed state \(incremental\)/);
		expect(frame).toMatch(/Source: Kafka\s+4\s+128 operator state/);

		await ui.press(KEYS.down);
		expect(selectedLine(ui.frame())).toMatch(/✗\s+shared\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/shared\s+3\s+7\.7 MB\s+1/);
		await ui.press(KEYS.right);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Jobs › 3f2a1b2c… › chk-42 › shared/');
		expect(frame).toMatch(/✗\s+gone-0002\.sst\s+700 kB missing file\s+1/);
		expect(frame).toMatch(/0001\.sst\s+5 MB exists\s+file\s+3/);

		await ui.press(KEYS.left);
		expect(crumbLine(ui.frame())).toMatch(/chk-42\s/);
		await ui.press(KEYS.escape);
		expect(crumbLine(ui.frame())).toMatch(/Jobs › 3f2a1b2c…\s/);
		// The cursor is where it was: on chk-42.
		expect(selectedLine(ui.frame())).toContain('chk-42');
		await ui.press('h');
		expect(crumbLine(ui.frame())).toMatch(/^Jobs\s/);
		await ui.press(KEYS.backspace);
		expect(crumbLine(ui.frame())).toMatch(/^Jobs\s/);
	});

	test('keys that arrive together act one after another (a laggy SSH session, tmux send-keys)', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		/** The crumb line once it matches `pattern` (queued keys take one render each), or after the wait's timeout. */
		const crumbMatching = async (pattern: RegExp) => {
			await ui.waitFor(() => pattern.test(crumbLine(ui.frame()))).catch(() => undefined);
			return crumbLine(ui.frame());
		};

		const opened = /^Jobs › b0b0b0b0…\s/;
		// An escape sequence and Enter in one write: Enter must open the row the move reached (the second job).
		await ui.press(KEYS.down + KEYS.enter);
		expect(await crumbMatching(opened)).toMatch(opened);
		await ui.press(KEYS.escape);
		expect(await crumbMatching(/^Jobs\s/)).toMatch(/^Jobs\s/);
		await ui.press(KEYS.up + KEYS.down + KEYS.down + KEYS.up + KEYS.enter);
		expect(await crumbMatching(opened)).toMatch(opened);
		await ui.press(KEYS.escape);
		expect(await crumbMatching(/^Jobs\s/)).toMatch(/^Jobs\s/);
		await ui.press(KEYS.up + 'j\r');
		expect(await crumbMatching(opened)).toMatch(opened);
		// The go-to-view menu too: v, two moves and Enter in one write reach its third entry.
		await ui.press('v' + KEYS.down + KEYS.down + KEYS.enter);
		expect(await crumbMatching(/^Jobs › Missing files\s/)).toMatch(/^Jobs › Missing files\s/);
	});

	test('typed ahead into a directory of 20,001 files while it is being prepared, it opens whole and in name order', async () => {
		const analysis = withManyFiles(20_000);
		const shared = analysis.checkpoints[0].dependencies[0];
		const names = shared.fileList.map((file) => file.path!.slice(shared.path.length + 1));
		const first = names.reduce((a, b) => (naturalKey(b) < naturalKey(a) ? b : a));
		const ui = await renderSized(<Explorer analysis={analysis} />, 120, 30);
		// Job, its first checkpoint, that checkpoint's second directory (shared/), in one write.
		await ui.press(KEYS.enter + KEYS.enter + KEYS.down + KEYS.enter);
		await ui.waitFor(() => crumbLine(ui.frame()).includes('shared/')).catch(() => undefined);
		const frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/^Jobs › 3f2a1b2c… › chk-41 › shared\/\s+1\/20,001$/);
		expect(selectedLine(frame)).toContain(first);
	});

	test('cross-job dependency and savepoint', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press('j', KEYS.enter);
		expect(ui.frame()).toContain('restored from 3f2a1b2c…');
		expect(stripAnsi(ui.frame())).toMatch(/⊘\s+chk-5 .*incomplete/);
		await ui.press('j', KEYS.enter);
		const frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('b0b0b0b0… › chk-7');
		expect(frame).toMatch(/↗\s+shared\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/shared.*↗3f2a1b2c…/);

		await ui.press('h', 'h', 'G', KEYS.enter);
		expect(stripAnsi(ui.frame())).toMatch(/savepoint-3f2a1b-0123abcd\s+savepoint\s+5/);
	});

	test('filter: typing edits the filter, Enter keeps it, Esc clears it', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press('/', 'b', '0', 'b', '0');
		let frame = stripAnsi(ui.frame());
		expect(frame).toContain('/b0b0▏');
		expect(frame).toContain('⏎ keep');
		expect(frame).not.toContain('3f2a1b2c3d4e5f60718293a4b5c6d7e8 ');
		expect(selectedLine(frame)).toContain('b0b0b0b0');
		await ui.press(KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(frame).toContain('filter: "b0b0"');
		expect(crumbLine(frame)).toMatch(/1\/1$/);
		// Keys act again after Enter: `s` sorts instead of typing.
		await ui.press('s');
		expect(ui.frame()).toContain('sort: size ↓');
		await ui.press('/', 'x', 'x', 'x');
		expect(stripAnsi(ui.frame())).toContain('No rows match the filter "b0b0xxx"');
		await ui.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.escape);
		frame = stripAnsi(ui.frame());
		expect(frame).not.toContain('filter:');
		expect(crumbLine(frame)).toMatch(/\/3$/);
		// The cursor stayed on the item it was on.
		expect(selectedLine(frame)).toContain('b0b0b0b0');
	});

	test('sort cycles name → size → time and keeps the selected item', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press('G');
		expect(selectedLine(ui.frame())).toContain('savepoints');
		expect(crumbLine(ui.frame())).toMatch(/3\/3$/);
		await ui.press('s');
		expect(ui.frame()).toContain('sort: size ↓');
		expect(selectedLine(ui.frame())).toContain('savepoints');
		expect(crumbLine(ui.frame())).toMatch(/1\/3$/);
		await ui.press('s');
		expect(ui.frame()).toContain('sort: time ↓');
		expect(selectedLine(ui.frame())).toContain('savepoints');
		expect(crumbLine(ui.frame())).toMatch(/3\/3$/);
		const rows = lines(ui.frame()).filter((line) => /chk-\d+\s+\d/.test(line));
		expect(rows[0]).toContain('b0b0b0b0');
		await ui.press('s');
		expect(ui.frame()).toContain('sort: name ↑');
	});

	test('orphans view from anywhere, with reasons and in-progress marks', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press(KEYS.enter, KEYS.enter, 'o');
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Jobs › 3f2a1b2c… › chk-41 › Orphans');
		expect(frame).toMatch(/⊘\s+3f2a1b2c.*\/shared\/orphan-9999\.sst\s+file unreferenced\s+1\.5 MB/);
		expect(frame).toMatch(/⊘\s+b0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3\/chk-5\s+dir\s+incomplete chk/);
		expect(frame).toMatch(/…\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/chk-43\s+dir\s+incomplete chk/);
		await ui.press('g');
		expect(stripAnsi(ui.frame())).toContain('possibly in progress');
		await ui.press(KEYS.escape);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/chk-41\s/);
	});

	test('referenced by: from a directory row and a file row, Enter opens a checkpoint', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		// In the jobs view r is not bound: it says where it works instead of doing nothing.
		await ui.press('r');
		expect(stripAnsi(ui.frame())).toMatch(/r works in the views: Checkpoint, Files, .*\(\? for help\)/);
		await ui.press(KEYS.enter, 'j', KEYS.enter, 'j', 'r');
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('chk-42 › Referenced by shared');
		expect(frame).toMatch(/3f2a1b2c…\s+chk-41/);
		expect(frame).toMatch(/3f2a1b2c…\s+chk-42/);
		expect(frame).toMatch(/↗\s+b0b0b0b0…\s+chk-7/);
		await ui.press('G', KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/Referenced by shared › chk-7\s/);
		expect(frame).toContain('Dependencies (2 directories)');

		// From a file row.
		await ui.press('h', 'h', KEYS.enter);
		await ui.press('G');
		expect(selectedLine(ui.frame())).toContain('gone-0002.sst');
		await ui.press('r');
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Referenced by gone-0002.sst');
		expect(frame).toMatch(/✗\s+3f2a1b2c…\s+chk-42/);
	});

	test('go-to-view menu opens Missing files and Warnings', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press('v');
		let frame = stripAnsi(ui.frame());
		expect(frame).toContain('Go to view');
		expect(frame).toContain('Missing files (1)');
		await ui.pressSlowly(KEYS.down, KEYS.down, KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/^Jobs › Missing files\s/);
		expect(frame).toMatch(/✗\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/shared\/gone-0002\.sst\s+1/);
		expect(frame).toContain('hdfs://nn/flink/');
		await ui.press(KEYS.enter);
		expect(crumbLine(ui.frame())).toContain('Missing files › Referenced by gone-0002.sst');
		await ui.press('v');
		await ui.pressSlowly(KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/^Jobs › Warnings\s/);
		expect(frame).toMatch(/!\s+b0b0.*truncated _metadata/);
		await ui.press('v', KEYS.escape);
		expect(stripAnsi(ui.frame())).not.toContain('Go to view');
	});

	test('help lists every binding of the key table', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 160, 90);
		await ui.press('?');
		const frame = stripAnsi(ui.frame());
		for (const binding of KEY_BINDINGS) {
			expect(frame).toContain(`${binding.display.padEnd(12)} ${binding.label}`);
		}

		expect(frame).toContain('⊘  orphan');
		expect(frame).toContain('✗  missing');
		await ui.press('?');
		expect(stripAnsi(ui.frame())).not.toContain('Marks (');
	});

	test('help pages by its own height, also when the details sit below the list; g and G go to its top and bottom', async () => {
		// 80×15: the details are below the list, so the list is only a few rows high.
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 80, 15);
		await ui.press('?');
		const body = () => lines(ui.frame()).slice(3, -1);
		const first = body();
		await ui.press(KEYS.pageDown);
		const paged = body();
		// A page moves the lines by the help's height less one: the last line is now the first.
		expect(paged[0]).toBe(first.at(-1));
		await ui.press('G');
		const bottom = body();
		expect(bottom).not.toEqual(paged);
		await ui.press(KEYS.pageDown);
		expect(body()).toEqual(bottom);
		await ui.press('g');
		expect(body()).toEqual(first);
	});

	test('a narrow header still shows the missing files, before the orphans', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 60, 20);
		expect(lines(ui.frame())[1]).toMatch(/^2 jobs {2}5 checkpoints {2}1 savepoint {2}✗ 1 missing {2}⊘/);
	});

	test('glyphs carry the meaning without colour', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />);
		await ui.press(KEYS.enter);
		// No ANSI styling is needed to tell the rows apart.
		const plain = lines(ui.frame());
		expect(plain.find((line) => line.includes('chk-42'))).toMatch(/^ {2}✗/);
		expect(plain.find((line) => line.includes('chk-43'))).toMatch(/^ {2}…/);
		expect(plain.find((line) => line.includes('chk-41'))).toMatch(/^❯ {5}chk-41/);
	});

	test('too-small terminal, resizing and the wide layout', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 50, 10);
		expect(ui.frame()).toBe('terminal too small (need 60×15, have 50×10)');
		await ui.resize(100, 20);
		expect(lines(ui.frame()).length).toBeLessThanOrEqual(19);
		expect(ui.frame()).toContain('─'.repeat(100));
		await ui.resize(150, 30);
		const selected = selectedLine(ui.frame());
		expect(selected).toMatch(/^❯ ✗⊘… 3f2a1b2c3d4e5f60718293a4b5c6d7e8\s.*│/);
		expect(ui.frame()).toMatch(/│ Job\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8/);
		expect(ui.frame()).not.toContain('─'.repeat(100));
	});

	test('long paths are truncated in the middle', async () => {
		const analysis = makeAnalysis();
		analysis.orphans[0].path = `/data/flink/${'very-long-directory-name/'.repeat(8)}orphan-tail.sst`;
		const ui = await renderSized(<Explorer analysis={analysis} />, 80, 20);
		await ui.press('o');
		const row = lines(ui.frame()).find((line) => line.includes('orphan-tail.sst')) ?? '';
		expect(row).toMatch(/very-lon.*….*orphan-tail\.sst/);
		expect(lines(ui.frame()).every((line) => line.length <= 80)).toBe(true);
	});

	test('names with wide characters and emoji fit their cells and the terminal, in the list and the details', async () => {
		const analysis = makeAnalysis();
		analysis.orphans[0].path = `/data/flink/${'deep/'.repeat(6)}チェックポイントの共有ファイル名がとても長い場合-🚀🚀🚀.sst`;
		analysis.orphans.push({...analysis.orphans[0], path: '/data/flink/ascii-neighbour.sst'});
		for (const [columns, rows] of [
			[80, 20],
			[150, 30],
		]) {
			const ui = await renderSized(<Explorer analysis={analysis} />, columns, rows);
			await ui.press('o');
			const frame = lines(ui.frame());
			// Every line is at most as wide as the terminal draws it, so nothing wraps.
			expect(frame.every((line) => stringWidth(line) <= columns)).toBe(true);
			const row = frame.find((line) => line.includes('🚀') && line.includes(' file ')) ?? '';
			expect(row).toMatch(/….*🚀\.sst/);
			// The columns after the name stay in place: the type starts where it does in the other rows.
			const fileRows = frame.filter((line) => line.includes(' file '));
			expect(fileRows.length).toBeGreaterThan(1);
			expect(new Set(fileRows.map((line) => stringWidth(line.slice(0, line.indexOf(' file ')))))).toHaveProperty('size', 1);
			ui.unmount();
		}
	});

	test('empty states', async () => {
		const ui = await renderSized(<Explorer analysis={emptyAnalysis()} />);
		expect(ui.frame()).toContain('No jobs: no _metadata or chk-<n> under the roots; try state.checkpoints.dir');
		await ui.press('o');
		expect(ui.frame()).toContain('No orphans: every file under the roots is referenced.');
		await ui.press('v');
		await ui.pressSlowly(KEYS.down, KEYS.down, KEYS.enter);
		expect(ui.frame()).toContain('No missing files');
	});

	test('q and Ctrl-C quit; in the filter only Ctrl-C does', async () => {
		const onQuit = vi.fn();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} onQuit={onQuit} />);
		await ui.press('/', 'q');
		expect(onQuit).not.toHaveBeenCalled();
		expect(ui.frame()).toContain('/q▏');
		await ui.press(KEYS.ctrlC);
		expect(onQuit).toHaveBeenCalledTimes(1);
		await ui.press(KEYS.escape, 'q');
		expect(onQuit).toHaveBeenCalledTimes(2);
		await ui.press('?', KEYS.ctrlC);
		expect(onQuit).toHaveBeenCalledTimes(3);
	});

	test('100,000 rows: renders only a window and moves fast', async () => {
		const analysis = manyOrphans(100_000);
		const ui = await renderSized(<Explorer analysis={analysis} />, 100, 30);
		// CPU time, not wall time: on a loaded machine (2 cores, other tests) the wall clock measures the others.
		const started = process.cpuUsage();
		await ui.press('o');
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/1\/100,000$/);
		const visibleRows = lines(frame).filter((line) => line.includes('orphan-'));
		expect(visibleRows.length).toBeGreaterThan(5);
		expect(visibleRows.length).toBeLessThan(30);
		expect(frame).toContain('orphan-000000.sst');
		await ui.press('G');
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/100,000\/100,000$/);
		expect(selectedLine(frame)).toContain('orphan-099999.sst');
		expect(frame).not.toContain('orphan-000000.sst');
		await ui.press('k', KEYS.pageUp);
		expect(crumbLine(ui.frame())).toMatch(/99,9\d\d\/100,000$/);
		await ui.press('s');
		// Size descending: orphan i has i bytes, so the selected item is now near the top.
		expect(selectedLine(ui.frame())).toMatch(/orphan-099\d\d\d\.sst/);
		await ui.press('/', '0', '4', '2', '0', '0', KEYS.enter);
		// orphan-042000 … orphan-042009 and orphan-004200 (sizes 42,000 B … print as kB).
		expect(crumbLine(ui.frame())).toMatch(/\/(\d{1,2})$/);
		expect(ui.frame()).toContain('orphan-042001.sst');
		const used = process.cpuUsage(started);
		expect((used.user + used.system) / 1000).toBeLessThan(8000);
	});
});

describe('LoadingExplorer', () => {
	test('shows progress, then the explorer', async () => {
		let finish: (value: ReturnType<typeof makeAnalysis>) => void = () => {};
		let report: (progress: {phase: string; done: number; total?: number; path?: string}) => void = () => {};
		const load = (onProgress: typeof report) => {
			report = onProgress;
			return new Promise<ReturnType<typeof makeAnalysis>>((resolve) => {
				finish = resolve;
			});
		};

		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />);
		expect(ui.frame()).toContain('Loading…');
		report({phase: 'scan', done: 1234, total: 5000, path: '/data/flink/x/shared/a.sst'});
		await ui.waitFor('Loading… scan 1,234/5,000  /data/flink/x/shared/a.sst');
		// The `_metadata` files load while the scan goes on: both counts show, until the scan is done.
		report({phase: 'load', done: 3, total: 20, path: '/data/flink/x/chk-3/_metadata'});
		await ui.waitFor('Loading… scan 1,234/5,000 · load 3/20  /data/flink/x/chk-3/_metadata');
		report({phase: 'scan', done: 5000, total: 5000});
		report({phase: 'load', done: 4, total: 20, path: '/data/flink/x/chk-4/_metadata'});
		await ui.waitFor('Loading… load 4/20  /data/flink/x/chk-4/_metadata');
		finish(makeAnalysis());
		await ui.waitFor('2 jobs');
	});

	test('given the analysis already made, the first frame is the explorer; the load runs only for a rescan (R)', async () => {
		let loads = 0;
		const load = async () => {
			loads++;
			return makeAnalysis();
		};

		const ui = await renderSized(<LoadingExplorer load={load} loaded={makeAnalysis()} progressIntervalMs={0} />);
		// The explorer at once, and nothing loaded (a progress line would have come from a load).
		expect(ui.frame()).toContain('2 jobs');
		expect(ui.frame()).not.toContain('Loading…');
		expect(loads).toBe(0);
		await ui.press('R');
		await ui.waitFor(() => loads === 1);
		await ui.waitFor('2 jobs');
	});

	test('shows a load error as one line', async () => {
		const ui = await renderSized(<LoadingExplorer load={() => Promise.reject(new Error('no such directory: /nope\nstack'))} />);
		await ui.waitFor(() => stripAnsi(ui.frame()).startsWith('✗ Error'));
		expect(stripAnsi(ui.frame())).toBe('✗ Error: no such directory: /nope');
	});
});
