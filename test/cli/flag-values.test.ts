import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {flagValues, meowFlagValues, plainFlagValues} from '../../source/cli/flag-values.js';
import {readFlagWords} from '../../source/cli/parse.js';

const pkg = {name: 'flink-checkpoint-explorer', bin: {fcx: 'dist/fcx.js'}};

/** Words a command line is made of: every form of a few flags, values that meow's parser treats apart, paths. */
const WORDS = [
	...['--json', '--no-json', '--json=true', '--files', '--color', '--no-color', '--path-style', '--no-path-style', '--allowDelete', '--allow-delete'],
	...['--min-age', '--minAge', '--min-age=1h', '--min-age=', '--min-age="2h"', '--keep-last', '--keepLast=2', '--out', '--out=plan.json'],
	...['--map', '--map=a=b', '--listing', '--root', '--target=t', '--'],
	...['report', 'what-if', 'tree', '/abs/path', 'a=b', '1h', '0', '2', 'true', 'false', '-5', '-', '"q"', "'q'", '', 'x y'],
];

/** The words of a command line that `fcx` passes on to the flag reading (the others it refuses first). */
function readable(argv: string[]): string[] | undefined {
	try {
		return readFlagWords(argv).argv;
	} catch {
		return undefined;
	}
}

describe('the flag values of a command line', () => {
	it('reads the usual command lines without meow, with its defaults', () => {
		expect(plainFlagValues(['report', '--json', 'tree'])).toEqual({
			input: ['report', 'tree'],
			flags: {
				json: true,
				files: false,
				map: [],
				pathStyle: false,
				listing: [],
				color: true,
				root: [],
				target: [],
				acceptUnreadable: false,
				delete: false,
				allowVersioned: false,
				yes: false,
				allowDelete: false,
			},
		});
		expect(plainFlagValues(['what-if', '--keep-last', '2', '--no-color', 'x'])?.flags).toMatchObject({keepLast: '2', color: false});
		expect(plainFlagValues(['plan', 'r', '--target', 't', '--target=u', '--out', 'p.json'])).toBeUndefined();
		expect(plainFlagValues(['plan', 'r', '--target', 't', '--map=a=b', '--out', 'p.json'])?.flags).toMatchObject({target: ['t'], map: ['a=b'], out: 'p.json'});
	});

	it('leaves to meow what its parser reads in its own way: a flag twice, quotes, --, values starting with -', () => {
		for (const argv of [
			['--out', 'a', '--out', 'b'],
			['--min-age="1h"'],
			['x', '--', '--json'],
			['--min-age', '-5'],
			['--json', 'false'],
			['--json=1'],
			['-5'],
		]) {
			expect(plainFlagValues(argv)).toBeUndefined();
		}
	});

	it('agrees with meow wherever it reads a command line itself', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.constantFrom(...WORDS), {maxLength: 8}), async (words) => {
				const argv = readable(words);
				const plain = argv === undefined ? undefined : plainFlagValues(argv);
				if (argv === undefined || plain === undefined) return;
				expect(plain).toEqual(await meowFlagValues(argv, pkg));
			}),
			{numRuns: 400},
		);
	});

	it('gives meow the others, with its errors', async () => {
		await expect(flagValues(['--out', 'a', '--out', 'b'], pkg)).rejects.toThrow('The flag --out can only be set once.');
		expect(await flagValues(['--min-age="1h"'], pkg)).toMatchObject({input: [], flags: {minAge: '1h'}});
	});
});
