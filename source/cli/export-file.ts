/**
 * Where the explorer's exports of the current list (`e` TSV, `E` JSON) are written: a new file in
 * a directory (the current one), named after the view and the time, never over an existing file.
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import type {ExportView} from '../ui/index.js';

/** Names tried per export when the first ones exist (`…Z.tsv`, `…Z-2.tsv`, …) before giving up. */
const ATTEMPTS = 100;

/**
 * The explorer's `onExport`: writes each export to `<name>-<UTC time>.<extension>` in `directory`
 * (default: the current directory) with `O_EXCL` (an existing file is never replaced: the next
 * free name `…-2`, `…-3` is taken). Returns `./<file>` in the current directory, else the full
 * path; throws an `Error` naming the file and the reason when it cannot write.
 */
export function exportFileWriter(directory = process.cwd(), now: () => Date = () => new Date()): ExportView {
	return ({name, extension, content}) => {
		const stamp = now()
			.toISOString()
			.replaceAll(/[-:]|\.\d+/g, '');
		const base = `${name.replaceAll(/[^\w.-]/g, '-')}-${stamp}`;
		for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
			const file = `${base}${attempt === 1 ? '' : `-${attempt}`}.${extension}`;
			const full = path.join(directory, file);
			try {
				writeFileSync(full, content, {flag: 'wx'});
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EEXIST') continue;
				throw new Error(`cannot write ${full}: ${code ?? (error instanceof Error ? error.message : String(error))}`, {cause: error});
			}

			return path.resolve(directory) === process.cwd() ? `./${file}` : full;
		}

		throw new Error(`cannot write ${path.join(directory, `${base}.${extension}`)}: it and ${ATTEMPTS - 1} numbered names exist`);
	};
}
