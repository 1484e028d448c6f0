/**
 * The lineage view, the impact overlay (`d`), marking orphans (Space) and the quarantine
 * confirmation (`D`), driven through ink-testing-library with injected lineage / what-if services.
 */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {analyse} from '../../source/analysis/index.js';
import type {Analysis} from '../../source/analysis/types.js';
import type {LineageEdge, WhatIfResult} from '../../source/analysis/types.js';
import {Explorer, LoadingExplorer, quarantineSummary, type ExplorerServices, type QuarantineResult} from '../../source/ui/index.js';
import {READ_ONLY_MESSAGE} from '../../source/ui/use-explorer-keys.js';
import {buildView, indexAnalysis} from '../../source/ui/views/build.js';
import {lineageChainTexts} from '../../source/ui/views/lineage-view.js';
import {A_SHARED, JOB_A, JOB_B, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';

afterEach(() => {
	cleanup();
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const lines = (frame: string) => stripAnsi(frame).split('\n');
const selectedLine = (frame: string) => lines(frame).find((line) => line.startsWith('❯')) ?? '';
const crumbLine = (frame: string) => lines(frame)[2];
const footerLine = (frame: string) => lines(frame).at(-1) ?? '';

const JOB_C = 'c0c0c0c0d1d1d1d1e2e2e2e2f3f3f3f3';
const SAVEPOINT = `${ROOT}/savepoints/savepoint-3f2a1b-0123abcd`;
const CHK41 = `${ROOT}/${JOB_A}/chk-41`;
const ORPHAN_FILE = `${A_SHARED}/orphan-9999.sst`;
const ORPHAN_CHK5 = `${ROOT}/${JOB_B}/chk-5`;

/** A → B (from chk-41) → C (from B's chk-7), and the savepoint → job D outside the tree. */
const EDGES: LineageEdge[] = [
	{
		fromPath: `${ROOT}/${JOB_B}/chk-7`,
		fromJobId: JOB_B,
		fromCheckpointId: 7,
		fromKind: 'checkpoint',
		toJobId: JOB_C,
		toPath: `${ROOT}/${JOB_C}`,
		claimMode: 'NO_CLAIM',
		evidence: [{type: 'checkpoint-id-continues', restoredId: 7, firstCheckpointId: 8}],
	},
	{
		fromPath: CHK41,
		fromJobId: JOB_A,
		fromCheckpointId: 41,
		fromKind: 'checkpoint',
		toJobId: JOB_B,
		toPath: `${ROOT}/${JOB_B}`,
		claimMode: 'CLAIM or LEGACY',
		evidence: [
			{type: 'cross-job-reference', checkpointPath: `${ROOT}/${JOB_B}/chk-7`, directory: A_SHARED, files: 1},
			{type: 'unclaimed-flag', checkpointPath: `${ROOT}/${JOB_B}/chk-7`, unclaimed: false},
		],
	},
	{
		fromPath: SAVEPOINT,
		fromJobId: JOB_A,
		fromCheckpointId: 40,
		fromKind: 'savepoint',
		toJobId: 'd'.repeat(32),
		toPath: `${ROOT}/${'d'.repeat(32)}`,
		claimMode: 'LEGACY',
		evidence: [{type: 'savepoint-prefix', savepointPath: SAVEPOINT, jobIdPrefix: '3f2a1b'}],
	},
];

function fakeWhatIf(_analysis: Analysis, targets: string[]): WhatIfResult {
	return {
		targets,
		freedFiles: [`${ROOT}/${JOB_A}/chk-41/MANIFEST`],
		freedBytes: 300,
		broken: [{checkpointPath: `${ROOT}/${JOB_B}/chk-7`, lostFiles: [`${A_SHARED}/0001.sst`]}],
		unreadable: [],
		removedCheckpoints: targets,
		warnings: ['chk-41 is needed by job b0b0b0b0… (restored from it)'],
	};
}

function services(): ExplorerServices & {whatIfDelete: ReturnType<typeof vi.fn>} {
	return {inferLineage: () => EDGES, whatIfDelete: vi.fn(fakeWhatIf)};
}

function quarantineResult(paths: string[]): QuarantineResult {
	return {
		records: [
			{path: paths[0], action: 'quarantined', quarantinePath: `${ROOT}/.fcx-quarantine/20240501T120000Z/${path.relative(ROOT, paths[0])}`},
			...paths.slice(1).map((entry) => ({path: entry, action: 'skipped' as const, reason: 'changed since the plan (mtime)'})),
		],
		restoreCommand: `mv -- '${ROOT}/.fcx-quarantine/20240501T120000Z/${path.relative(ROOT, paths[0])}' '${paths[0]}'`,
		logPath: `${ROOT}/.fcx-quarantine/20240501T120000Z/fcx-clean.log`,
	};
}

describe('lineage view', () => {
	test('rows as chains, evidence in the details, summary of the chains', () => {
		const index = indexAnalysis(makeAnalysis(), services());
		const model = buildView(index, {type: 'lineage'});
		expect(model.sections[0].rows.map((row) => row.cells[0])).toEqual([
			'job 3f2a1b2c… chk-41 → job b0b0b0b0… (CLAIM or LEGACY)',
			'└ job b0b0b0b0… chk-7 → job c0c0c0c0… (NO_CLAIM)',
			'job 3f2a1b2c… savepoint-3f2a1b-0123abcd → job dddddddd… (LEGACY)',
		]);
		expect(lineageChainTexts(EDGES)).toEqual(['job 3f2a1b2c… chk-41 → b0b0b0b0… → c0c0c0c0…', 'job 3f2a1b2c… savepoint-3f2a1b-0123abcd → dddddddd…']);
		expect(model.summary).toContain('3 restores in 2 chains');
		const details = model.sections[0].rows[0].details();
		expect(details.find((line) => line.label === 'Claim mode')?.value).toBe('CLAIM or LEGACY');
		expect(details.map((line) => line.value)).toContain('b0b0b0b0… chk-7 uses 1 file of 3f2a1b2c…/shared');
		expect(details.map((line) => line.value)).toContain('b0b0b0b0… chk-7 unclaimed=false');
		expect(
			buildView(index, {type: 'lineage'})
				.sections[0].rows[1].details()
				.map((line) => line.value),
		).toContain('ids continue: restored 7, first chk-8');
		// Enter opens the source checkpoint, t the restored job; a job outside the tree has no target.
		expect(model.sections[0].rows[0].open).toEqual({type: 'checkpoint', checkpointPath: CHK41});
		expect(model.sections[0].rows[0].openTarget).toEqual({type: 'checkpoints', jobPath: `${ROOT}/${JOB_B}`});
		expect(model.sections[0].rows[2].openTarget).toBeUndefined();
	});

	test('L opens it; Enter opens the source checkpoint, t the restored job', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} />, 160, 30);
		await ui.press('L');
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/^Jobs › Lineage\s+1\/3$/);
		expect(frame).toContain('↗ 3 restores in 2 chains: job 3f2a1b2c… chk-41 → b0b0b0b0… → c0c0c0c0…');
		expect(selectedLine(frame)).toMatch(/↗\s+job 3f2a1b2c… chk-41 → job b0b0b0b0… \(CLAIM or LEGACY\)\s+2\s*│/);
		expect(frame).toMatch(/└ job b0b0b0b0… chk-7 → job c0c0c0c0… \(NO_CLAIM\)/);
		// The details pane (wide layout: beside the list) shows the evidence.
		expect(frame).toContain('unclaimed=false');
		await ui.press(KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/Lineage › chk-41\s/);
		expect(frame).toContain('Dependencies (2 directories)');
		await ui.press(KEYS.escape, 't');
		frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/Lineage › b0b0b0b0…\s/);
		expect(frame).toContain('chk-7');
	});

	test('the v menu lists it with its count', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} />);
		await ui.press('v');
		expect(stripAnsi(ui.frame())).toContain('Lineage (3 restores)');
		// Lineage is the last item: ↑ wraps to it.
		await ui.pressSlowly(KEYS.up, KEYS.enter);
		expect(crumbLine(ui.frame())).toMatch(/^Jobs › Lineage\s/);
	});

	test('an empty lineage and a failing inference say so', async () => {
		let ui = await renderSized(<Explorer analysis={makeAnalysis()} services={{...services(), inferLineage: () => []}} />);
		await ui.press('L');
		expect(stripAnsi(ui.frame())).toContain('No restores found');
		ui.unmount();
		const failing: ExplorerServices = {
			...services(),
			inferLineage: () => {
				throw new Error('boom');
			},
		};
		ui = await renderSized(<Explorer analysis={makeAnalysis()} services={failing} />);
		await ui.press('L');
		expect(stripAnsi(ui.frame())).toContain('Lineage could not be inferred: boom');
	});

	test('the real inference on the bundled sample tree', async () => {
		const root = path.resolve(fileURLToPath(new URL('../../fixtures/sample-tree', import.meta.url)));
		const analysis = await analyse([root], {minAgeMs: 0});
		const rows = buildView(indexAnalysis(analysis, {inferLineage: (await import('../../source/analysis/index.js')).inferLineage}), {type: 'lineage'})
			.sections[0].rows;
		const texts = rows.map((row) => row.cells[0]);
		expect(texts).toContain('job 3f9a1c2b… chk-5 → job 7b2e4d6f… (CLAIM or LEGACY)');
		expect(texts.some((text) => /savepoint-3f9a1c-5e0b7d2a9c41 → job c4d5e6f7…/.test(text))).toBe(true);
	});
});

describe('impact overlay (d)', () => {
	test('on a checkpoint: freed bytes, broken checkpoints, warnings; nothing changed; Esc closes', async () => {
		const fake = services();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={fake} />, 120, 30);
		await ui.press(KEYS.enter, 'd');
		expect(fake.whatIfDelete).toHaveBeenCalledWith(expect.anything(), [CHK41]);
		const frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toMatch(/3f2a1b2c… › Impact \(what-if\)/);
		expect(frame).toContain('Impact of deleting checkpoint chk-41 of job 3f2a1b2c… — what-if only, nothing is changed');
		expect(frame).toContain('Frees:     1 file, 300 B');
		expect(frame).toContain('Removes:   1 checkpoint: job 3f2a1b2c… chk-41');
		expect(frame).toMatch(/✗ 1 remaining checkpoint would lose referenced files/);
		expect(frame).toContain(`✗ job b0b0b0b0… chk-7 loses 1 file: ${JOB_A}/shared/0001.sst`);
		expect(frame).toContain('! chk-41 is needed by job b0b0b0b0…');
		expect(frame).toContain('Nothing has been changed.');
		expect(footerLine(frame)).toContain('Esc close');
		await ui.press(KEYS.escape);
		expect(stripAnsi(ui.frame())).not.toContain('Impact of deleting');
		expect(selectedLine(ui.frame())).toContain('chk-41');
	});

	test('on a job, an orphan, a savepoint, inside a checkpoint and on a lineage edge', async () => {
		const fake = services();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={fake} />, 120, 30);
		await ui.press('j', 'd');
		expect(fake.whatIfDelete).toHaveBeenLastCalledWith(expect.anything(), [`${ROOT}/${JOB_B}`]);
		expect(stripAnsi(ui.frame())).toContain(`Impact of deleting job ${JOB_B}`);
		await ui.press('d', 'o', 'j', 'd');
		expect(fake.whatIfDelete).toHaveBeenLastCalledWith(expect.anything(), [ORPHAN_FILE]);
		await ui.press(KEYS.escape, KEYS.escape, 'G', KEYS.enter, 'd');
		expect(fake.whatIfDelete).toHaveBeenLastCalledWith(expect.anything(), [SAVEPOINT]);
		expect(stripAnsi(ui.frame())).toContain('Impact of deleting savepoint savepoint-3f2a1b-0123abcd of job 3f2a1b2c…');
		// Inside a checkpoint, the rows are directories: d assesses the checkpoint itself.
		await ui.press(KEYS.escape, KEYS.enter, 'd');
		expect(fake.whatIfDelete).toHaveBeenLastCalledWith(expect.anything(), [SAVEPOINT]);
		await ui.press(KEYS.escape, 'L', 'd');
		expect(fake.whatIfDelete).toHaveBeenLastCalledWith(expect.anything(), [CHK41]);
		expect(stripAnsi(ui.frame())).toContain('(restored into job b0b0b0b0…)');
	});

	test('d does nothing where no checkpoint, job or orphan is shown; a failing what-if is shown', async () => {
		const fake = services();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={fake} />);
		// The files of a dependency: not a checkpoint, job or orphan.
		await ui.press(KEYS.enter, KEYS.enter, KEYS.enter);
		expect(crumbLine(ui.frame())).toMatch(/chk-41 › chk-41\/\s/);
		await ui.press('d');
		expect(crumbLine(ui.frame())).toMatch(/chk-41 › chk-41\/\s/);
		expect(fake.whatIfDelete).not.toHaveBeenCalled();
		ui.unmount();
		const failing: ExplorerServices = {
			...services(),
			whatIfDelete: () => {
				throw new Error('no such target');
			},
		};
		const other = await renderSized(<Explorer analysis={makeAnalysis()} services={failing} />);
		await other.press('d');
		expect(stripAnsi(other.frame())).toContain('the impact could not be computed: no such target');
	});
});

describe('marking orphans (Space)', () => {
	test('read-only by default: Space and D refuse and change nothing', async () => {
		const onQuarantine = vi.fn();
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} onQuarantine={onQuarantine} />);
		await ui.press('o', 'j', ' ');
		let frame = stripAnsi(ui.frame());
		expect(footerLine(frame)).toContain(`! ${READ_ONLY_MESSAGE}`);
		expect(frame).not.toContain('●');
		await ui.press('D');
		frame = stripAnsi(ui.frame());
		expect(footerLine(frame)).toContain(READ_ONLY_MESSAGE);
		expect(frame).not.toContain('Move 1 marked');
		// The message goes with the next key.
		await ui.press('k');
		expect(footerLine(ui.frame())).not.toContain('read-only');
		// At 100 columns the hints do not all fit: the middle ones give way to help and quit.
		expect(footerLine(ui.frame())).toMatch(/↑↓ move .* … {2}\? help {2}q quit$/);
		expect(onQuarantine).not.toHaveBeenCalled();
	});

	test('marks show ● in the row and count + bytes in the footer; in-progress orphans are refused', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} allowDelete onQuarantine={vi.fn()} />, 120, 30);
		expect(stripAnsi(ui.frame())).toContain('[--allow-delete: D quarantines marked orphans]');
		await ui.press('o');
		// First row by name: the possibly-in-progress chk-43.
		expect(selectedLine(ui.frame())).toContain('chk-43');
		await ui.press(' ');
		let frame = stripAnsi(ui.frame());
		expect(footerLine(frame)).toMatch(/refused: .*chk-43 is possibly in progress/);
		expect(frame).not.toContain('●');
		await ui.press('j', ' ');
		frame = stripAnsi(ui.frame());
		expect(selectedLine(frame)).toMatch(/^❯ ●⊘\s+3f2a1b2c.*orphan-9999\.sst/);
		expect(footerLine(frame)).toContain('● 1 marked (1.5 MB)');
		await ui.press('j', ' ');
		frame = stripAnsi(ui.frame());
		expect(footerLine(frame)).toContain('● 2 marked (1.9 MB)');
		expect(lines(frame).filter((line) => /^. ●/.test(line))).toHaveLength(2);
		// Space again unmarks.
		await ui.press(' ');
		frame = stripAnsi(ui.frame());
		expect(footerLine(frame)).toContain('● 1 marked (1.5 MB)');
		expect(selectedLine(frame)).not.toContain('●');
		// Marks survive leaving the view and show in the footer everywhere.
		await ui.press(KEYS.escape);
		expect(footerLine(ui.frame())).toContain('● 1 marked');
	});

	test('D with nothing marked explains how to mark', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} allowDelete onQuarantine={vi.fn()} />);
		await ui.press('o', 'D');
		expect(footerLine(ui.frame())).toContain('nothing marked');
	});
});

describe('quarantine confirmation (D)', () => {
	async function markTwo(onQuarantine: (paths: string[]) => Promise<QuarantineResult>) {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} allowDelete onQuarantine={onQuarantine} />, 120, 30);
		await ui.press('o', 'j', ' ', 'j', ' ');
		return ui;
	}

	test('lists what will be moved with the bytes; Cancel is focused until yes is typed', async () => {
		const ui = await markTwo(vi.fn());
		await ui.press('D');
		let frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Orphans › Confirm quarantine');
		expect(frame).toContain('Move 2 marked orphans to the quarantine');
		expect(frame).toMatch(/●\s+1\.5 MB\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/shared\/orphan-9999\.sst/);
		expect(frame).toMatch(/●\s+400 kB\s+b0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3\/chk-5/);
		expect(frame).toContain('Total: 2 entries, 1.9 MB');
		expect(frame).toContain('❯ [ Cancel ]');
		expect(frame).not.toContain('❯ [ Move to quarantine ]');
		await ui.press('y', 'e');
		expect(stripAnsi(ui.frame())).toContain('❯ [ Cancel ]');
		await ui.press('s');
		frame = stripAnsi(ui.frame());
		expect(frame).toContain('cancels: yes▏');
		expect(frame).toContain('❯ [ Move to quarantine ]');
		await ui.press(KEYS.backspace);
		expect(stripAnsi(ui.frame())).toContain('❯ [ Cancel ]');
	});

	test('typing yes + Enter calls onQuarantine with exactly the marked paths, then shows the result', async () => {
		const onQuarantine = vi.fn((paths: string[]) => Promise.resolve(quarantineResult(paths)));
		const ui = await markTwo(onQuarantine);
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		await ui.waitFor('Quarantine done');
		expect(onQuarantine).toHaveBeenCalledTimes(1);
		expect(onQuarantine).toHaveBeenCalledWith([ORPHAN_FILE, ORPHAN_CHK5]);
		const frame = stripAnsi(ui.frame());
		expect(crumbLine(frame)).toContain('Orphans › Quarantine');
		expect(frame).toContain('Quarantine done: 1 moved, 1 skipped');
		expect(frame).toMatch(/✓ moved\s+3f2a1b2c3d4e5f60718293a4b5c6d7e8\/shared\/orphan-9999\.sst → \.fcx-quarantine\/20240501T120000Z\//);
		expect(frame).toContain(`! skipped  ${JOB_B}/chk-5: changed since the plan (mtime)`);
		expect(frame).toContain('/data/flink/.fcx-quarantine/20240501T120000Z/fcx-clean.log');
		expect(frame).toContain('Restore command:');
		expect(frame).toContain("mv -- '/data/flink/.fcx-quarantine/20240501T120000Z/");
		expect(frame).toContain('press R to rescan');
		// Marks are gone, the view is stale, and marking again is refused.
		await ui.press(KEYS.escape);
		expect(footerLine(ui.frame())).toContain('stale: R rescans · sort');
		expect(stripAnsi(ui.frame())).not.toContain('●');
		await ui.press(' ');
		expect(footerLine(ui.frame())).toContain('stale after the quarantine');
		await ui.press('D');
		expect(stripAnsi(ui.frame())).not.toContain('Move ');
		expect(onQuarantine).toHaveBeenCalledTimes(1);
	});

	test('yes typed in one burst (a paste) works too', async () => {
		const onQuarantine = vi.fn((paths: string[]) => Promise.resolve(quarantineResult(paths)));
		const ui = await markTwo(onQuarantine);
		await ui.press('D', 'yes\r');
		await ui.waitFor(() => onQuarantine.mock.calls.length > 0);
		expect(onQuarantine).toHaveBeenCalledWith([ORPHAN_FILE, ORPHAN_CHK5]);
	});

	test('Esc cancels; Enter after anything but yes cancels; nothing is moved', async () => {
		const onQuarantine = vi.fn((paths: string[]) => Promise.resolve(quarantineResult(paths)));
		const ui = await markTwo(onQuarantine);
		await ui.press('D', 'y', 'e', KEYS.escape);
		let frame = stripAnsi(ui.frame());
		expect(frame).not.toContain('Move 2 marked');
		expect(footerLine(frame)).toContain('cancelled: nothing was moved');
		// The marks are kept.
		expect(footerLine(frame)).toContain('● 2 marked');
		await ui.press('D', 'n', 'o', KEYS.enter);
		frame = stripAnsi(ui.frame());
		expect(frame).not.toContain('Move 2 marked');
		expect(footerLine(frame)).toContain('cancelled (you typed "no", not "yes")');
		await ui.press('D', 'Y', 'E', 'S', KEYS.enter);
		expect(footerLine(ui.frame())).toContain('cancelled');
		// q is typed into the dialog, not a quit.
		await ui.press('D', 'q', KEYS.enter);
		expect(footerLine(ui.frame())).toContain('you typed "q"');
		await ui.press('D', KEYS.enter);
		expect(footerLine(ui.frame())).toContain('cancelled');
		expect(onQuarantine).not.toHaveBeenCalled();
	});

	test('a failing quarantine says so and leaves the view stale', async () => {
		const ui = await markTwo(() => Promise.reject(new Error('plan entry changed under us')));
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		await ui.waitFor('Quarantine failed');
		const frame = stripAnsi(ui.frame());
		expect(frame).toContain('✗ Quarantine failed: plan entry changed under us');
		expect(frame).toContain('the log of the run says exactly what');
		await ui.press(KEYS.escape);
		expect(footerLine(ui.frame())).toContain('stale');
	});

	test('while it runs the panel stays; the summary printed after exit names the log and the restore command', async () => {
		let finish: (result: QuarantineResult) => void = () => {};
		const ui = await markTwo(() => new Promise((resolve) => (finish = resolve)));
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		expect(stripAnsi(ui.frame())).toContain('Moving 2 orphans to the quarantine, re-checking each first…');
		await ui.press(KEYS.escape);
		expect(stripAnsi(ui.frame())).toContain('Moving 2 orphans');
		const result = quarantineResult([ORPHAN_FILE, ORPHAN_CHK5]);
		finish(result);
		await ui.waitFor('Quarantine done');
		expect(stripAnsi(ui.frame())).toContain('Quarantine done');
		expect(quarantineSummary([result])).toBe(`fcx: quarantined 1 orphan, skipped 1; log: ${result.logPath}\nfcx: restore with: ${result.restoreCommand}\n`);
		expect(quarantineSummary([])).toBe('');
	});
});

describe('rescan (R)', () => {
	test('after a quarantine the load runs again by itself, and R runs it again', async () => {
		let loads = 0;
		const load = async () => {
			loads++;
			const analysis = makeAnalysis();
			if (loads > 1) {
				analysis.orphans = analysis.orphans.filter((orphan) => orphan.path !== ORPHAN_FILE);
				analysis.totals.orphans = 1;
			}

			return analysis;
		};

		const onQuarantine = vi.fn((paths: string[]) => Promise.resolve(quarantineResult(paths)));
		const ui = await renderSized(<LoadingExplorer load={load} allowDelete onQuarantine={onQuarantine} progressIntervalMs={0} />, 120, 30);
		await ui.waitFor(/Jobs\s/);
		await ui.press('o', 'j', ' ', 'D', 'y', 'e', 's', KEYS.enter);
		await ui.waitFor('Quarantine done');
		expect(onQuarantine).toHaveBeenCalledWith([ORPHAN_FILE]);
		expect(stripAnsi(ui.frame())).toContain('Quarantine done: 1 moved');
		// The quarantine rescans by itself; R rescans again, keeping the view.
		await ui.press('R');
		await ui.waitFor(() => loads === 3 && stripAnsi(ui.frame()).includes('Quarantine done'));
		const frame = stripAnsi(ui.frame());
		expect(frame).toContain('⊘ 1 orphan (');
		expect(crumbLine(frame)).toMatch(/^Jobs › Orphans › Quarantine\s/);
		expect(footerLine(frame)).not.toContain('stale');
	});

	test('an Explorer without a rescan callback says to re-run', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services()} />);
		await ui.press('R');
		expect(footerLine(ui.frame())).toContain('rescan is not available here');
	});
});
