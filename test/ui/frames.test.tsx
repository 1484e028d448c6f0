/**
 * The views prepared ahead wait for the frame: given Ink's frames (`renderExplorer` counts them),
 * the explorer prepares what Enter opens only once the frame of the commit has been drawn, so that
 * a long step of the preparation (a checkpoint's files resolved when first read) cannot hold the
 * frame back. Without them (ink-testing-library draws each commit at once) it starts at once.
 */
import React from 'react';
import {describe, expect, test} from 'vitest';
import type {Analysis} from '../../source/analysis/types.js';
import {frameCounter} from '../../source/ui/frames.js';
import {DEFAULT_SERVICES, Explorer} from '../../source/ui/index.js';
import {makeAnalysis} from './fixture.js';
import {renderSized} from './helpers.js';

/** The restore lineage (which the Jobs view shows) reads the files of cross-job directories: none here, only the preparation reads them. */
const services = {...DEFAULT_SERVICES, inferLineage: () => []};

/** One turn of the event loop (where the preparation's steps run). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `analysis` with its checkpoints' directories telling when their files are first read (what preparing a files view does). */
function watchingFileLists(analysis: Analysis): {analysis: Analysis; read: Set<string>} {
	const read = new Set<string>();
	for (const checkpoint of analysis.checkpoints) {
		for (const dependency of checkpoint.dependencies) {
			const files = dependency.fileList;
			Object.defineProperty(dependency, 'fileList', {
				get() {
					read.add(dependency.path);
					return files;
				},
				enumerable: true,
				configurable: true,
			});
		}
	}

	return {analysis, read};
}

describe('preparing views ahead waits for the frame', () => {
	test('with frames counted, nothing is prepared until the frame is drawn; then what Enter opens is', async () => {
		const {analysis, read} = watchingFileLists(makeAnalysis());
		// A counter Ink never calls: as if the frame of the first commit were still waiting for Ink's timer.
		const frames = frameCounter();
		const ui = await renderSized(<Explorer analysis={analysis} services={services} frames={frames} />, 120, 30);
		await ui.waitFor('Jobs');
		// Far more turns than the preparation of the fixture's views takes (see the next test).
		for (let turns = 0; turns < 200; turns++) {
			await turn();
		}

		expect(read.size).toBe(0);
		frames.drawn();
		await ui.waitFor(() => read.size > 0);
		ui.unmount();
	});

	test('without frames counted, the preparation starts at once', async () => {
		const {analysis, read} = watchingFileLists(makeAnalysis());
		const ui = await renderSized(<Explorer analysis={analysis} services={services} />, 120, 30);
		await ui.waitFor(() => read.size > 0);
		ui.unmount();
	});

	test('a frame drawn in the commit itself (Ink draws at once when it drew none lately) starts it', async () => {
		const {analysis, read} = watchingFileLists(makeAnalysis());
		const frames = frameCounter();
		// Drawn during the first commit before the explorer's layout effects run (a sibling before it),
		// as Ink draws a frame at once in the commit when it drew none lately. No frame follows.
		const Drawing = () => {
			React.useLayoutEffect(() => {
				frames.drawn();
			});
			return null;
		};

		const ui = await renderSized(
			<>
				<Drawing />
				<Explorer analysis={analysis} services={services} frames={frames} />
			</>,
			120,
			30,
		);
		await ui.waitFor(() => read.size > 0);
		ui.unmount();
	});
});
