/** Rescan (`R`, and by itself after a quarantine) keeps the place: view, filter, sort and selected row. */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {LoadingExplorer, type QuarantineResult} from '../../source/ui/index.js';
import {A_SHARED, JOB_A, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {crumbLine, footerLine, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

const ORPHAN_FILE = `${A_SHARED}/orphan-9999.sst`;
const CHK42 = `${ROOT}/${JOB_A}/chk-42`;

function quarantineResult(paths: string[]): QuarantineResult {
	return {
		quarantineDir: `${ROOT}/.fcx-quarantine/20240501T120000Z`,
		logPath: `${ROOT}/.fcx-quarantine/20240501T120000Z/fcx-clean.log`,
		restoreCommand: `mv -- '${ROOT}/.fcx-quarantine/20240501T120000Z/x' '${paths[0]}'`,
		records: paths.map((path) => ({path, action: 'moved' as const, bytes: 1, destination: `${ROOT}/.fcx-quarantine/20240501T120000Z/x`})),
		deleted: false,
	} as unknown as QuarantineResult;
}

/** A load that counts its calls and lets each one change the analysis. */
function counting(change: (analysis: Analysis, call: number) => void = () => {}) {
	const calls = {count: 0};
	const load = async () => {
		calls.count++;
		const analysis = makeAnalysis();
		change(analysis, calls.count);
		return analysis;
	};

	return {calls, load};
}

describe('rescan keeps the place', () => {
	test('R keeps the view, the filter, the sort and the selected row', async () => {
		const {calls, load} = counting();
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press(KEYS.enter);
		await waitForFrame(ui.frame, 'chk-41');
		await ui.press('s', '/', 'c', 'h', 'k', KEYS.enter, 'j');
		// Sorted by size: chk-42, chk-41, chk-43; the cursor was on chk-41 (pinned by s and /), j moves it to chk-43.
		const before = await waitForFrame(ui.frame, (frame) => frame.includes('filter: "chk"') && selectedLine(frame).includes('chk-43'));
		expect(footerLine(before)).toContain('sort: size ↓');
		const selected = selectedLine(before);
		const crumb = crumbLine(before);
		expect(crumb).toContain('Jobs › 3f2a1b2c…');
		await ui.press('R');
		await waitForFrame(ui.frame, () => calls.count === 2);
		const after = await waitForFrame(ui.frame, 'filter: "chk"');
		expect(crumbLine(after)).toBe(crumb);
		expect(footerLine(after)).toContain('sort: size ↓ · filter: "chk"');
		expect(selectedLine(after)).toBe(selected);
	});

	test('a view whose subject is gone after the rescan falls back to the view below it', async () => {
		const {load} = counting((analysis, call) => {
			if (call > 1) {
				analysis.checkpoints = analysis.checkpoints.filter((checkpoint) => checkpoint.path !== CHK42);
				for (const job of analysis.jobs) job.checkpoints = job.checkpoints.filter((checkpoint) => checkpoint.path !== CHK42);
			}
		});
		const ui = await renderSized(<LoadingExplorer load={load} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press(KEYS.enter, 'j', KEYS.enter);
		await waitForFrame(ui.frame, 'Jobs › 3f2a1b2c… › chk-42');
		await ui.press('R');
		const after = await waitForFrame(ui.frame, /Jobs › 3f2a1b2c…\s+\d/);
		expect(after).not.toContain('chk-42');
		expect(after).toContain('chk-41');
	});

	test('after a quarantine the rescan happens by itself; the result panel and the view stay', async () => {
		const {calls, load} = counting((analysis, call) => {
			if (call > 1) {
				analysis.orphans = analysis.orphans.filter((orphan) => orphan.path !== ORPHAN_FILE);
				analysis.totals.orphans = 1;
			}
		});
		const onQuarantine = vi.fn((paths: string[]) => Promise.resolve(quarantineResult(paths)));
		const ui = await renderSized(<LoadingExplorer load={load} allowDelete onQuarantine={onQuarantine} progressIntervalMs={0} />, 120, 30);
		await waitForFrame(ui.frame, '2 jobs');
		await ui.press('o', 'j', ' ', 'D', 'y', 'e', 's', KEYS.enter);
		await waitForFrame(ui.frame, () => calls.count === 2);
		const result = await waitForFrame(ui.frame, /⊘ 1 orphan \(.*\n[\s\S]*Quarantine done/);
		expect(crumbLine(result)).toContain('Orphans › Quarantine');
		expect(footerLine(result)).not.toContain('stale');
		expect(result).toContain('The tree was rescanned after the quarantine');
		await ui.press(KEYS.escape);
		const orphans = await waitForFrame(ui.frame, /Jobs › Orphans\s+\d/);
		expect(footerLine(orphans)).not.toContain('stale');
		expect(orphans).not.toContain('orphan-9999.sst');
		expect(onQuarantine).toHaveBeenCalledTimes(1);
	});
});
