/** The impact panel (`d`) scrolls with PgUp/PgDn, g/G and Home/End, as lists do. */
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Analysis, WhatIfResult} from '../../source/analysis/types.js';
import {Explorer, type ExplorerServices} from '../../source/ui/index.js';
import {A_SHARED, makeAnalysis} from './fixture.js';
import {KEYS, renderSized} from './helpers.js';
import {waitForFrame} from './ergonomics-support.js';

afterEach(() => {
	cleanup();
});

const FILES = 150;
const file = (n: number) => `${A_SHARED}/freed-${String(n).padStart(3, '0')}.sst`;

/** A what-if that frees 150 files: a panel far taller than the screen. */
const services: ExplorerServices = {
	inferLineage: () => [],
	whatIfDelete: (_analysis: Analysis, targets: string[]): WhatIfResult => ({
		targets,
		freedFiles: Array.from({length: FILES}, (_, n) => file(n)),
		freedBytes: FILES * 1000,
		broken: [],
		unreadable: [],
		removedCheckpoints: targets,
		warnings: [],
	}),
};

const KEY_HOME = '\u001B[H';
const KEY_END = '\u001B[F';

describe('impact panel scrolling', () => {
	test('PgDn / PgUp page, G / End go to the end, g / Home to the top', async () => {
		const ui = await renderSized(<Explorer analysis={makeAnalysis()} services={services} />, 100, 30);
		await ui.press('d');
		await waitForFrame(ui.frame, 'freed-000.sst');
		await ui.press(KEYS.pageDown);
		let frame = await waitForFrame(ui.frame, (shown) => !shown.includes('freed-000.sst'));
		expect(frame).toMatch(/freed-0[1-4]\d\.sst/);
		await ui.press(KEYS.pageUp);
		await waitForFrame(ui.frame, 'freed-000.sst');
		await ui.press('G');
		frame = await waitForFrame(ui.frame, 'Nothing has been changed');
		expect(frame).toContain(`freed-${FILES - 1}.sst`);
		await ui.press('g');
		await waitForFrame(ui.frame, 'freed-000.sst');
		await ui.press(KEY_END);
		await waitForFrame(ui.frame, 'Nothing has been changed');
		await ui.press(KEY_HOME);
		frame = await waitForFrame(ui.frame, 'freed-000.sst');
		expect(frame).toContain('Impact of deleting');
	});
});
