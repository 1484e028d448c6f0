/**
 * Entry point of the interactive explorer: `renderExplorer` (used by the CLI), and the
 * `Explorer` / `LoadingExplorer` components (used by tests and embedders).
 */
import process from 'node:process';
import {Text, render, useApp, useInput, type Instance} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Analysis} from '../analysis/types.js';
import {truncateMiddle} from './format.js';
import {formatCount, formatCountOf, visibleMessage} from '../text/index.js';
import {isCtrlC} from './key-match.js';
import {MARKS} from './marks.js';
import {MOUSE_OFF, MOUSE_ON, parseMouse} from './mouse.js';
import {runPager} from './pager.js';
import {Explorer} from './explorer.js';
import {frameCounter, type FrameCounter} from './frames.js';
import type {ExportView, QuarantineOrphans, QuarantineResult} from './services.js';
import {useTerminalSize} from './use-terminal-size.js';
import type {ExplorerState} from './use-explorer-state.js';
import type {TypeAhead} from './use-explorer-keys.js';

export {Explorer, type ExplorerProps} from './explorer.js';
export {DEFAULT_SERVICES, type ExplorerServices, type ExportRequest, type ExportView, type QuarantineOrphans, type QuarantineResult} from './services.js';

/** Progress reported by `load`. */
export interface LoadProgress {
	phase: string;
	done: number;
	total?: number;
	path?: string;
	/** Per second since the phase began (phase `list`: objects listed on remote roots). */
	rate?: number;
}

/** Loads the analysis, reporting progress. */
export type LoadAnalysis = (onProgress: (progress: LoadProgress) => void) => Promise<Analysis>;

/** Options of {@link renderExplorer}. */
export interface RenderExplorerOptions {
	load: LoadAnalysis;
	/**
	 * The analysis, when it is already made: the first frame is the explorer's (no progress line,
	 * whose frame would hold the explorer's back by Ink's 33 ms between frames), and `load` runs
	 * only for a rescan (`R`).
	 */
	loaded?: Analysis;
	/** Shown in the header; default `Flink checkpoint explorer`. */
	title?: string;
	/** The stores the roots are on, shown in the header (see `describeStores`); none for local roots. */
	store?: string;
	/** `--allow-delete`: Space marks orphans and `D` quarantines them. Default false: read-only. */
	allowDelete?: boolean;
	/**
	 * Moves exactly `paths` (the orphans the user marked and confirmed) into the quarantine, re-checking
	 * each one first. Without it `D` cannot act.
	 */
	onQuarantine?: QuarantineOrphans;
	/** Writes an export of the current list (`e` / `E`) to a new file (the CLI: in the current directory). Without it `e` cannot act. */
	onExport?: ExportView;
}

/** Props of {@link LoadingExplorer}. */
export interface LoadingExplorerProps extends RenderExplorerOptions {
	/** Gives the terminal to `$PAGER` (`p`); see {@link ExplorerProps}. */
	showInPager?: (lines: string[]) => string | undefined;
	/** Milliseconds between progress re-renders (default 50). */
	progressIntervalMs?: number;
	/** Ink's frames as they are drawn, for the explorer (see {@link ExplorerProps}). */
	frames?: FrameCounter;
}

type LoadState = {state: 'loading'; progress?: LoadProgress[]} | {state: 'ready'; analysis: Analysis} | {state: 'error'; error: Error};

/**
 * The progress line: `Loading… scan 1,234/5,000 …/path`; phases that run at the same time (the
 * scan's `lstat`s and the loading of `_metadata` files) each with their counts, the path of the
 * last one reported. A phase with a rate (the listing of remote roots) reads `list 45,000 objects
 * (9,000/s)`.
 */
export function progressText(progress: LoadProgress | readonly LoadProgress[] | undefined, width: number): string {
	const phases = progress === undefined ? [] : 'phase' in progress ? [progress] : progress;
	if (phases.length === 0) {
		return 'Loading…';
	}

	const counts = (p: LoadProgress) =>
		(p.total === undefined ? formatCount(p.done) : `${formatCount(p.done)}/${formatCount(p.total)}`) +
		(p.rate === undefined ? '' : ` objects (${formatCount(Math.round(p.rate))}/s)`);
	const head = `Loading… ${phases.map((p) => `${p.phase} ${counts(p)}`).join(' · ')}`;
	const {path} = phases.at(-1)!;
	return path ? `${head}  ${truncateMiddle(path, Math.max(10, width - head.length - 3))}` : head;
}

/**
 * Runs `load`, shows a progress line meanwhile, then the {@link Explorer}. When `load` fails the
 * error is shown as one line and the Ink app exits with that error (`waitUntilExit` rejects).
 * `q` (typed first) or Ctrl-C while loading exits; other keys typed while loading are acted on, in
 * order, once the explorer shows (type-ahead).
 */
export function LoadingExplorer({
	load,
	loaded,
	title,
	store,
	progressIntervalMs = 50,
	allowDelete,
	onQuarantine,
	showInPager,
	onExport,
	frames,
}: LoadingExplorerProps) {
	const {exit} = useApp();
	const {columns} = useTerminalSize();
	const [status, setStatus] = useState<LoadState>(loaded === undefined ? {state: 'loading'} : {state: 'ready', analysis: loaded});
	// Bumped by a rescan (`R`): runs `load` again and shows a fresh explorer, which starts from the state the last one left.
	const [generation, setGeneration] = useState(0);
	const carried = useRef<ExplorerState | undefined>(undefined);
	// Keys typed before the explorer shows (type-ahead), handed to it; a rescan starts a new batch.
	const typedAhead = useRef<TypeAhead>({keys: [], taken: false});
	const lastUpdate = useRef({time: 0});
	useEffect(() => {
		// Made before the explorer started: nothing to load until a rescan.
		if (generation === 0 && loaded !== undefined) {
			return;
		}

		let cancelled = false;
		// The last progress of each phase, in the order phases began; a new phase shows at once.
		let phases: LoadProgress[] = [];
		const onProgress = (progress: LoadProgress) => {
			if (cancelled) {
				return;
			}

			const index = phases.findIndex((p) => p.phase === progress.phase);
			phases = index === -1 ? [...phases, {...progress}] : phases.map((p, i) => (i === index ? {...progress} : p));
			// Phases done before the last one began are no longer shown.
			while (phases.length > 1 && phases[0].total !== undefined && phases[0].done >= phases[0].total) {
				phases = phases.slice(1);
			}

			const now = Date.now();
			if (index !== -1 && now - lastUpdate.current.time < progressIntervalMs) {
				return;
			}

			lastUpdate.current = {time: now};
			setStatus({state: 'loading', progress: phases});
		};

		if (generation > 0) {
			setStatus({state: 'loading'});
		}

		load(onProgress).then(
			(analysis) => {
				if (!cancelled) {
					setStatus({state: 'ready', analysis});
				}
			},
			(error: unknown) => {
				if (!cancelled) {
					setStatus({state: 'error', error: error instanceof Error ? error : new Error(String(error))});
				}
			},
		);
		return () => {
			cancelled = true;
		};
	}, [load, loaded, progressIntervalMs, generation]);
	useEffect(() => {
		if (status.state === 'error') {
			exit(status.error);
		}
	}, [status, exit]);
	// Active until the explorer has taken the keys over (also in the moment between its first render and its key hook).
	useInput((input, key) => {
		const typed = typedAhead.current;
		// While the explorer shows, its own handler has the keys: one rendered with this status (the
		// handler is renewed after each render) also leaves alone the `R` that started a rescan, which
		// may reach it after the explorer's handler made the new type-ahead buffer.
		if (typed.taken || status.state === 'ready') {
			return;
		}

		// The mouse acts on what is shown: a report while loading is not typed ahead (nor stops q from quitting).
		if (parseMouse(input) !== undefined) {
			return;
		}

		// q quits a long load, unless it follows other keys typed ahead (it may be part of a filter).
		if (isCtrlC(input, key) || (input === 'q' && typed.keys.length === 0 && status.state === 'loading')) {
			exit();
		} else {
			typed.keys.push([input, key]);
		}
	});

	switch (status.state) {
		case 'loading':
			return <Text wrap="truncate">{progressText(status.progress, columns)}</Text>;
		case 'error':
			return (
				<Text color={MARKS.missing.color} wrap="truncate">
					{`${MARKS.missing.glyph} Error: ${status.error.message.split('\n')[0]}`}
				</Text>
			);
		case 'ready':
			return (
				<Explorer
					key={generation}
					analysis={status.analysis}
					title={title}
					store={store}
					allowDelete={allowDelete}
					onQuarantine={onQuarantine}
					initialState={carried.current}
					typedAhead={typedAhead.current}
					showInPager={showInPager}
					onExport={onExport}
					frames={frames}
					onRescan={(state) => {
						carried.current = state;
						typedAhead.current = {keys: [], taken: false};
						// Straight to the progress line: no explorer of the old analysis in between, which would take the type-ahead.
						setStatus({state: 'loading'});
						setGeneration((value) => value + 1);
					}}
				/>
			);
	}
}

/** Switches the terminal to its alternate screen (xterm's private mode 1049: also saves the cursor). */
export const ALTERNATE_SCREEN_ENTER = '\u001B[?1049h';
/** Back to the normal screen, as it was before {@link ALTERNATE_SCREEN_ENTER}. */
export const ALTERNATE_SCREEN_LEAVE = '\u001B[?1049l';

/** What is printed after the explorer ends when orphans were quarantined: the log and the restore command, in full. */
export function quarantineSummary(results: readonly QuarantineResult[]): string {
	const lines: string[] = [];
	for (const result of results) {
		const moved = result.records.filter((record) => record.action !== 'skipped').length;
		const skipped = result.records.length - moved;
		lines.push(`fcx: quarantined ${formatCountOf(moved, 'orphan')}, skipped ${formatCount(skipped)}; log: ${result.logPath}`);
		if (result.restoreCommand !== null) {
			lines.push(`fcx: restore with: ${result.restoreCommand}`);
		}
	}

	return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Renders the explorer in the terminal: a progress line while `options.load` runs, then the
 * explorer. Resolves when the app ends, with the process exit code to use:
 *
 * - `0` when the user quits (`q`, or Ctrl-C, which always quits);
 * - `1` when `load` rejects: its message has been written to stderr as one line (`✗ Error: …`), print nothing more.
 *
 * The explorer runs on the terminal's alternate screen: nothing of it stays in the scrollback.
 *
 * When orphans were quarantined, the log path and the restore command are printed to stdout after
 * the explorer ends, so they stay in the scrollback.
 *
 * Rejects only when stdin is not an interactive terminal (Ink needs raw mode); check first.
 */
export async function renderExplorer(options: RenderExplorerOptions): Promise<number> {
	if (!process.stdin.isTTY) {
		throw new Error('the interactive explorer needs a terminal (stdin is not a TTY)');
	}

	const results: QuarantineResult[] = [];
	const {onQuarantine} = options;
	const recordingQuarantine: QuarantineOrphans | undefined = onQuarantine
		? async (paths, at) => {
				const result = await onQuarantine(paths, at);
				results.push(result);
				return result;
			}
		: undefined;
	// The alternate screen (as less and vim use): quitting leaves the shell's screen as it was, no last frame in the scrollback.
	// The frame starts at the top line (a click's line is the frame's), and the mouse reports while the explorer has the screen.
	process.stdout.write(`${ALTERNATE_SCREEN_ENTER}\u001B[H${MOUSE_ON}`);
	const leave = () => process.stdout.write(`${MOUSE_OFF}${ALTERNATE_SCREEN_LEAVE}`);
	process.once('exit', leave);
	let code = 0;
	let failure: string | undefined;
	let instance: Instance | undefined;
	// The pager has the terminal until it ends (the event loop waits); then the screen is drawn anew.
	const showInPager = (lines: string[]) => {
		process.stdout.write(MOUSE_OFF);
		process.stdin.setRawMode(false);
		const error = runPager(lines);
		process.stdin.setRawMode(true);
		process.stdout.write(`${ALTERNATE_SCREEN_ENTER}\u001B[2J\u001B[H${MOUSE_ON}`);
		instance?.clear();
		return error;
	};

	// Counted as Ink draws them: the explorer prepares views ahead only once its frame is out.
	const frames = frameCounter();
	try {
		instance = render(
			<LoadingExplorer
				load={options.load}
				loaded={options.loaded}
				title={options.title}
				store={options.store}
				allowDelete={options.allowDelete ?? false}
				onQuarantine={recordingQuarantine}
				showInPager={showInPager}
				onExport={options.onExport}
				frames={frames}
			/>,
			{exitOnCtrlC: false, onRender: frames.drawn},
		);
		await instance.waitUntilExit();
	} catch (error) {
		code = 1;
		failure = error instanceof Error ? error.message : String(error);
	} finally {
		process.off('exit', leave);
		leave();
	}

	// The error line shown on the alternate screen went with it: say it again where it stays.
	if (failure !== undefined) {
		process.stderr.write(visibleMessage(`${MARKS.missing.glyph} Error: ${failure.split('\n')[0]}`));
	}

	const summary = quarantineSummary(results);
	if (summary !== '') {
		process.stdout.write(summary);
	}

	return code;
}
