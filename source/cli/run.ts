/**
 * The printed commands (`report`, `inspect`) and the hand-over to the interactive explorer.
 * Kept apart from `cli.tsx` so that flag parsing stays thin and this stays testable.
 */
import {stat} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {analyse} from '../analysis/index.js';
import type {AnalyseOptions} from '../analysis/types.js';
import {ParseError, readMetadataFile} from '../metadata/index.js';
import type {ChannelStateLayout} from '../metadata/types.js';
import {
	EXIT_OK,
	EXIT_UNREADABLE,
	exitCodeFor,
	inspectToJson,
	inspectToText,
	reportToJson,
	reportToText,
} from '../report/index.js';
import {parseDuration, parseMappings, UsageError} from './args.js';

/** What the user asked for. `explore` prints the text report when not on a terminal. */
export type Command = 'explore' | 'report' | 'inspect';

/** Parsed flags, as meow gives them. */
export interface Flags {
	json: boolean;
	map: string[];
	minAge: string;
	channelLayout?: string;
	color: boolean;
}

/** Where output goes; defaults to the process streams. */
export interface RunContext {
	interactive: boolean;
	/** Tool version for report headers. */
	version?: string;
	stdout?: NodeJS.WritableStream;
	stderr?: NodeJS.WritableStream;
}

/**
 * Run a command on `paths` and return the exit status (see `readme.md`, Exit status).
 * @throws UsageError for bad flag values
 */
export async function runCommand(command: Command, paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const stdout = context.stdout ?? process.stdout;
	const stderr = context.stderr ?? process.stderr;
	const absolute = paths.map((p) => path.resolve(p));

	if (command === 'inspect') return inspect(absolute, flags, stdout, stderr);

	const options: AnalyseOptions = {
		mappings: parseMappings(flags.map, (p) => path.resolve(p)),
		minAgeMs: parseDuration(flags.minAge),
	};
	for (const p of absolute) {
		try {
			await stat(p);
		} catch {
			stderr.write(`fcx: ${p}: no such file or directory\n`);
			return EXIT_UNREADABLE;
		}
	}

	if (command === 'explore' && context.interactive && !flags.json) {
		const {renderExplorer} = await import('../ui/index.js');
		return renderExplorer({
			load: async (onProgress) => analyse(absolute, {...options, onProgress}),
			title: paths.join(' '),
		});
	}

	const showProgress = Boolean((stderr as NodeJS.WriteStream).isTTY);
	const analysis = await analyse(absolute, {
		...options,
		onProgress: showProgress
			? (p) => stderr.write(`\r\u001B[2K${p.phase} ${p.done}${p.total === undefined ? '' : `/${p.total}`}`)
			: undefined,
	});
	if (showProgress) stderr.write('\r\u001B[2K');
	const color = flags.color && !process.env.NO_COLOR && Boolean((stdout as NodeJS.WriteStream).isTTY);
	const {version} = context;
	stdout.write(flags.json ? `${JSON.stringify(reportToJson(analysis, {version}), null, 2)}\n` : reportToText(analysis, {color, version}));
	return exitCodeFor(analysis);
}

async function inspect(paths: string[], flags: Flags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
	const layout = flags.channelLayout?.toUpperCase();
	if (layout !== undefined && layout !== 'A' && layout !== 'B') {
		throw new UsageError(`--channel-layout: expected A or B, got "${flags.channelLayout}"`);
	}
	let code = EXIT_OK;
	const json: unknown[] = [];
	for (const file of paths) {
		try {
			const result = await readMetadataFile(file, {channelLayout: layout as ChannelStateLayout | undefined});
			if (flags.json) json.push(inspectToJson(file, result));
			else stdout.write(inspectToText(file, result));
		} catch (error) {
			if (!(error instanceof ParseError) && !isFsError(error)) throw error;
			stderr.write(`fcx: ${error.message}\n`);
			code = EXIT_UNREADABLE;
		}
	}
	if (flags.json) stdout.write(`${JSON.stringify(json, null, 2)}\n`);
	return code;
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
	return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
