/**
 * `M` in the explorer (issue 24): asks for a min-age (read as `--min-age` is), shows what would go at
 * it (the header, the orphans view's marks, the keep-last panel), and deleting from the explorer
 * keeps what is younger than it: never less than the command line's `--min-age`.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {parseDuration} from '../../source/cli/args.js';
import {parseDurationMs} from '../../source/text/index.js';
import {helpLines} from '../../source/ui/components/help.js';
import {Explorer, type QuarantineResult} from '../../source/ui/index.js';
import {goneAt} from '../../source/ui/min-age.js';
import {initialState} from '../../source/ui/use-explorer-state.js';
import {A_SHARED, JOB_A, JOB_B, NOW, ROOT, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {footerLine, lines, selectedLine, waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

const HOUR = 3_600_000;
const ORPHAN_FILE = `${A_SHARED}/orphan-9999.sst`;
const ORPHAN_CHK5 = `${ROOT}/${JOB_B}/chk-5`;
const IN_PROGRESS_CHK43 = `${ROOT}/${JOB_A}/chk-43`;

/** The fixture with the incomplete chk-5 last written 3 hours ago (the orphan file: 48 hours; chk-43 is possibly in progress). */
function analysisWithYoungerChk5(): Analysis {
	const analysis = makeAnalysis();
	analysis.orphans = analysis.orphans.map((orphan) => (orphan.path === ORPHAN_CHK5 ? {...orphan, timeMs: NOW - 3 * HOUR} : orphan));
	return analysis;
}

const noQuarantine = (): QuarantineResult => ({records: [], restoreCommand: null, logPath: '/dev/null'});
/** The orphans view's row of a path (its last segments), glyphs included. */
const rowOf = (frame: string, name: string) => lines(frame).find((line) => line.includes(name) && /^[❯ ] /.test(line)) ?? '';

describe('min-age in the explorer (M)', () => {
	test('reads ages as --min-age does, and counts what would go by the analysis rule', () => {
		for (const text of ['90s', '15m', '1h', '1h30m', '2d', '1w', '250ms', '0', '3600000']) expect(parseDurationMs(text)).toBe(parseDuration(text));
		for (const bad of ['', 'h', '1x', 'abc', '1h x', '2H']) expect(parseDurationMs(bad)).toBeUndefined();
		const analysis = analysisWithYoungerChk5();
		expect(goneAt(analysis, HOUR)).toEqual({minAgeMs: HOUR, orphans: 2, files: 2, bytes: 1_900_000});
		expect(goneAt(analysis, 4 * HOUR)).toEqual({minAgeMs: 4 * HOUR, orphans: 1, files: 1, bytes: 1_500_000});
		// Exactly as old as the age: kept (the analysis's rule is newest >= now - age).
		expect(goneAt(analysis, 3 * HOUR).orphans).toBe(1);
		expect(goneAt(analysis, 100 * HOUR)).toMatchObject({orphans: 0, files: 0, bytes: 0});
	});

	test('M asks for an age; the header says what would go at it and the orphans view draws the younger ones as kept', async () => {
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} />, 120, 30);
		await ui.press('o');
		let frame = await waitForFrame(ui.frame, 'chk-5');
		expect(rowOf(frame, 'chk-5')).toMatch(/^[❯ ] ⊘/);
		await ui.press('M');
		frame = await waitForFrame(ui.frame, 'age: ▏');
		expect(frame).toContain("the command line's --min-age is 1 h");
		expect(frame.replace(/\s+/g, ' ')).toContain('deleting from here never removes a younger file');
		await ui.press('4', 'h', KEYS.enter);
		frame = await waitForFrame(ui.frame, 'at min-age 4 h: 1 file, 1.5 MB would go');
		expect(footerLine(frame)).toContain('min-age 4 h: younger orphans are kept (…), never marked or moved');
		expect(rowOf(frame, 'chk-5')).toMatch(/^[❯ ] …/);
		expect(rowOf(frame, 'orphan-9999')).toMatch(/^[❯ ] ⊘/);
		// The plural, and back to the command line's age with an empty answer.
		await ui.press('M', '2', 'h', KEYS.enter);
		await waitForFrame(ui.frame, 'at min-age 2 h: 2 files, 1.9 MB would go');
		await ui.press('M', KEYS.enter);
		frame = await waitForFrame(ui.frame, "back to the command line's 1 h");
		expect(frame).not.toContain('at min-age');
	});

	test("an age below the command line's counts as it, an unreadable one changes nothing; Esc cancels", async () => {
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} />, 120, 30);
		await ui.press('M', '1', '0', 'm', KEYS.enter);
		let frame = await waitForFrame(ui.frame, "below the command line's 1 h");
		expect(frame).not.toContain('at min-age');
		await ui.press('M', '4', 'h', KEYS.enter);
		await waitForFrame(ui.frame, 'at min-age 4 h');
		await ui.press('M', 'x', 'y', KEYS.enter);
		frame = await waitForFrame(ui.frame, 'cannot read "xy" as a duration');
		expect(frame).toContain('at min-age 4 h');
		await ui.press('M', '9', KEYS.backspace, KEYS.escape);
		frame = await waitForFrame(ui.frame, (text) => !text.includes('age: '));
		expect(frame).toContain('at min-age 4 h');
	});

	test('deleting keeps what is younger than the age: marks dropped, Space and A refuse them, D asks the quarantine to keep them too', async () => {
		const onQuarantine = vi.fn((_paths: string[], _options?: {minAgeMs: number}) => Promise.resolve(noQuarantine()));
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} allowDelete onQuarantine={onQuarantine} />, 200, 30);
		await ui.press('o', 'A');
		await waitForFrame(ui.frame, '2 marked (1.9 MB)');
		await ui.press('M', '4', 'h', KEYS.enter);
		let frame = await waitForFrame(ui.frame, 'min-age 4 h: 1 marked orphan younger than it unmarked, kept');
		expect(footerLine(frame)).toContain('1 marked (1.5 MB)');
		// Select chk-5 and try to mark it.
		while (!selectedLine(frame).includes('chk-5')) {
			await ui.press(KEYS.down);
			frame = ui.frame();
		}

		await ui.press(' ');
		expect(footerLine(await waitForFrame(ui.frame, 'refused'))).toContain('refused: younger than the min-age 4 h (M), kept: b0b0');
		// A unmarks the one marked (every orphan it may mark is), then marks it again, never chk-5.
		await ui.press('A');
		await waitForFrame(ui.frame, 'unmarked 1 orphan');
		await ui.press('A');
		frame = await waitForFrame(ui.frame, 'marked 1 orphan (1.5 MB); 2 orphans younger than 4 h (M) left unmarked');
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		await waitForFrame(ui.frame, () => onQuarantine.mock.calls.length > 0);
		expect(onQuarantine.mock.calls[0][0]).toEqual([ORPHAN_FILE]);
		expect(onQuarantine.mock.calls[0][1]).toEqual({minAgeMs: 4 * HOUR});
	});

	test("without an age typed (or one below the command line's), D leaves the age to the command line's", async () => {
		const onQuarantine = vi.fn((_paths: string[], _options?: {minAgeMs: number}) => Promise.resolve(noQuarantine()));
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} allowDelete onQuarantine={onQuarantine} />, 120, 30);
		await ui.press('M', '1', 's', KEYS.enter, 'o', 'A');
		await waitForFrame(ui.frame, '2 marked (1.9 MB)');
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		await waitForFrame(ui.frame, () => onQuarantine.mock.calls.length > 0);
		expect([...onQuarantine.mock.calls[0][0]].sort()).toEqual([ORPHAN_CHK5, ORPHAN_FILE].sort());
		expect(onQuarantine.mock.calls[0][0]).not.toContain(IN_PROGRESS_CHK43);
		// No age of its own: the command line's applies (the CLI's quarantine re-checks with it).
		expect(onQuarantine.mock.calls[0]).toHaveLength(1);
	});

	test('K shows what would go of the orphans at the age too; M is in the help', async () => {
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} />, 160, 40);
		await ui.press('M', '4', 'h', KEYS.enter, 'K', '1', KEYS.enter);
		await waitForFrame(ui.frame, 'Orphans, at min-age 4 h: 1 file, 1.5 MB would go as well');
		expect(helpLines().some((line) => /^ {2}M +min-age: asks for an age/.test(line))).toBe(true);
		expect(helpLines().join(' ')).toContain('never below --min-age: deleting keeps more');
	});

	test('a rescan keeps the age, and drops the marks of orphans it keeps (also of one now in progress)', async () => {
		const previous = {...initialState(), marked: [ORPHAN_FILE, ORPHAN_CHK5, IN_PROGRESS_CHK43], minAgeMs: 4 * HOUR};
		const ui = await renderSized(<Explorer analysis={analysisWithYoungerChk5()} allowDelete initialState={previous} />, 160, 30);
		const frame = await waitForFrame(ui.frame, 'at min-age 4 h: 1 file, 1.5 MB would go');
		expect(footerLine(frame)).toContain('1 marked (1.5 MB)');
	});
});
