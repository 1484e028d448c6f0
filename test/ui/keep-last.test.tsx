/**
 * `K` in the explorer: asks for N and shows what `fcx what-if --keep-last N` shows (one rendering),
 * as a panel that scrolls and closes; nothing is changed.
 */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {simulateRetention} from '../../source/analysis/index.js';
import {retentionToText} from '../../source/report/index.js';
import {Explorer} from '../../source/ui/index.js';
import {makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

const footerLine = (frame: string) =>
	frame
		// eslint-disable-next-line no-control-regex
		.replace(/\u001B\[[0-9;]*m/g, '')
		.split('\n')
		.at(-1) ?? '';

describe('keep-last what-if (K)', () => {
	test('asks for N, then shows the checkpoints the CLI would call subsumed and the bytes freed; Esc closes it', async () => {
		const analysis = makeAnalysis();
		const ui = await renderSized(<Explorer analysis={analysis} />, 160, 40);
		await ui.press('K');
		let frame = await waitForFrame(ui.frame, 'N: ▏');
		expect(frame).toContain('Keep the newest N complete checkpoints of every job');
		await ui.press('x', '1', KEYS.enter);
		frame = await waitForFrame(ui.frame, 'Keep last 1 per job');
		const cli = retentionToText(simulateRetention(analysis, 1), analysis.roots).split('\n');
		const subsumed = cli.find((line) => line.startsWith('Subsumed checkpoints'));
		const freed = cli.find((line) => line.startsWith('Freed:'));
		expect(subsumed).toBeDefined();
		expect(frame).toContain(subsumed);
		expect(frame).toContain(freed);
		for (const line of cli.filter((text) => text.startsWith('  /'))) expect(frame).toContain(line.trim());
		await ui.press(KEYS.escape);
		frame = await waitForFrame(ui.frame, (text) => !text.includes('Keep last 1 per job'));
		expect(frame).toContain('Jobs');
	});

	test('Enter without a number says what to type; Esc in the prompt cancels', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} />, 160, 30);
		await ui.press('K', KEYS.enter);
		expect(footerLine(await waitForFrame(ui.frame, 'keep-last:'))).toContain('1 or more');
		await ui.press('K', '0', KEYS.enter);
		await waitForFrame(ui.frame, 'keep-last:');
		await ui.press('K', '2', KEYS.backspace, KEYS.escape);
		const frame = await waitForFrame(ui.frame, (text) => !text.includes('N: '));
		expect(frame).not.toContain('Keep last');
	});
});
