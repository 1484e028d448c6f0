/**
 * `A` marks every orphan the list shows (the filter applies), again unmarks them; the footer says
 * what a filter leaves (rows shown of all, and the orphans' bytes). Marks only ever name orphans.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {Explorer, type QuarantineResult} from '../../source/ui/index.js';
import {READ_ONLY_MESSAGE} from '../../source/ui/use-explorer-keys.js';
import {A_SHARED, JOB_A, JOB_B, ROOT, makeAnalysis, manyOrphans} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
const footerLine = (frame: string) => stripAnsi(frame).split('\n').at(-1) ?? '';

const ORPHAN_FILE = `${A_SHARED}/orphan-9999.sst`;
const ORPHAN_CHK5 = `${ROOT}/${JOB_B}/chk-5`;
const IN_PROGRESS_CHK43 = `${ROOT}/${JOB_A}/chk-43`;

const noQuarantine = (): QuarantineResult => ({records: [], restoreCommand: null, logPath: '/dev/null'});

describe('mark what the list shows (A)', () => {
	test('marks the filtered orphans but not one possibly in progress; again unmarks them; the footer counts what the filter shows', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} allowDelete onQuarantine={vi.fn()} />, 160, 30);
		await ui.press('o', '/', 'c', 'h', 'k', KEYS.enter);
		expect(footerLine(await waitForFrame(ui.frame, 'filter: "chk"'))).toContain('filter: "chk" 2 of 3 (401 kB)');
		await ui.press('A');
		let footer = footerLine(await waitForFrame(ui.frame, 'marked 1 orphan'));
		expect(footer).toContain('1 marked (400 kB)');
		expect(footer).toContain('1 orphan possibly in progress left unmarked');
		await ui.press('A');
		footer = footerLine(await waitForFrame(ui.frame, 'unmarked 1 orphan'));
		expect(footer).not.toContain('marked (');
	});

	test('yes + Enter quarantines exactly the orphans A marked: never one in progress, never a file of a checkpoint', async () => {
		const onQuarantine = vi.fn((_paths: string[]) => Promise.resolve(noQuarantine()));
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} allowDelete onQuarantine={onQuarantine} />, 160, 30);
		await ui.press('o', 'A');
		expect(footerLine(await waitForFrame(ui.frame, 'marked 2 orphans'))).toContain('2 marked (1.9 MB)');
		await ui.press('D', 'y', 'e', 's', KEYS.enter);
		await waitForFrame(ui.frame, () => onQuarantine.mock.calls.length > 0);
		expect([...onQuarantine.mock.calls[0][0]].sort()).toEqual([ORPHAN_CHK5, ORPHAN_FILE].sort());
		expect(onQuarantine.mock.calls[0][0]).not.toContain(IN_PROGRESS_CHK43);
	});

	test('is refused without --allow-delete, and outside the orphans view does nothing', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} onQuarantine={vi.fn()} />, 160, 30);
		await ui.press('o', 'A');
		expect(footerLine(await waitForFrame(ui.frame, 'read-only'))).toContain(READ_ONLY_MESSAGE.slice(0, 40));
		const jobs = await renderSized(<Explorer analysis={makeAnalysis()} allowDelete onQuarantine={vi.fn()} />, 160, 30);
		await jobs.press('A');
		expect(footerLine(jobs.frame())).not.toContain('marked');
	});

	test('60,000 orphans are marked at once', async () => {
		const ui = await renderSized(<Explorer analysis={manyOrphans(60_000)} allowDelete onQuarantine={vi.fn()} />, 160, 30);
		await ui.press('o', 'A');
		expect(footerLine(await waitForFrame(ui.frame, 'marked 60,000 orphans'))).toContain('60,000 marked');
	});
});

describe('orphans by directory (O)', () => {
	test('one row per directory with count, bytes and share; Enter opens its orphans, where A marks them all', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} allowDelete onQuarantine={vi.fn()} />, 160, 30);
		await ui.press('O', 's');
		let frame = await waitForFrame(ui.frame, 'sort: size');
		expect(frame).toContain('Orphans by directory');
		expect(frame).toMatch(new RegExp(`${JOB_A}/shared/\\s+1\\s+1\\.5 MB\\s+78\\.9%`));
		expect(frame).toMatch(new RegExp(`${JOB_B}/\\s+1\\s+400 kB\\s+21\\.0%`));
		await ui.press('g', KEYS.enter);
		frame = await waitForFrame(ui.frame, 'Orphans in');
		expect(frame).toContain(`Orphans in ${JOB_A}/shared/`);
		expect(frame).toContain('orphan-9999.sst');
		expect(frame).not.toContain('chk-5');
		await ui.press('A');
		expect(footerLine(await waitForFrame(ui.frame, 'marked 1 orphan'))).toContain('1 marked (1.5 MB)');
	});
});
