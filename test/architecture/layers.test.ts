import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ESLint} from 'eslint';
import {describe, expect, it} from 'vitest';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The type-aware rules of eslint.config.js: off here, where `file` is not in the TypeScript project. */
const TYPE_AWARE_OFF = Object.fromEntries(
	['no-floating-promises', 'no-misused-promises', 'await-thenable', 'no-unnecessary-type-assertion', 'switch-exhaustiveness-check'].map((rule) => [
		`@typescript-eslint/${rule}`,
		'off' as const,
	]),
);

/**
 * The messages ESLint gives `code` as if it were the file `file` of the project (the layer rules;
 * without type information, which a file that does not exist cannot have).
 */
async function lint(file: string, code: string): Promise<string[]> {
	const eslint = new ESLint({cwd: projectRoot, overrideConfig: {languageOptions: {parserOptions: {projectService: false}}, rules: TYPE_AWARE_OFF}});
	const [result] = await eslint.lintText(code, {filePath: path.join(projectRoot, file)});
	return result.messages.map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the layers of source/ import only downwards (eslint.config.js)', () => {
	it.each([
		['source/metadata/x.ts', "import type {Warning} from '../tree/warnings.js';\nexport type W = Warning;\n"],
		['source/tree/x.ts', "import type {Analysis} from '../analysis/types.js';\nexport type A = Analysis;\n"],
		['source/analysis/x.ts', "import type {Plan} from '../cleanup/types.js';\nexport type P = Plan;\n"],
		['source/cleanup/x.ts', "import {reportToText} from '../report/index.js';\nexport const r = reportToText;\n"],
		['source/ui/views/x.ts', "import {runCommand} from '../../cli/run.js';\nexport const r = runCommand;\n"],
		['source/text/x.ts', "import {METADATA_FILE} from '../tree/layout.js';\nexport const m = METADATA_FILE;\n"],
	])('an upward import in %s is an error', async (file, code) => {
		const messages = await lint(file, code);
		expect(messages).toEqual([expect.stringMatching(/^no-restricted-imports: .*layers import only downwards/)]);
	});

	it.each([
		[
			'source/analysis/x.ts',
			"import {METADATA_FILE} from '../tree/layout.js';\nimport {formatBytes} from '../text/index.js';\nexport const m = [METADATA_FILE, formatBytes];\n",
		],
		[
			'source/ui/views/x.ts',
			"import type {Analysis} from '../../analysis/types.js';\nimport {shortJobId} from '../format.js';\nexport type A = Analysis;\nexport const s = shortJobId;\n",
		],
		['source/tree/x.ts', "import type {Warning} from './warnings.js';\nexport type W = Warning;\n"],
	])('a downward or same-folder import in %s is allowed', async (file, code) => {
		expect(await lint(file, code)).toEqual([]);
	});
});
