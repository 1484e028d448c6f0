import {describe, expect, it} from 'vitest';
import {UsageError} from '../../source/cli/args.js';
import {COMMANDS} from '../../source/cli/commands.js';
import {FLAG_NAMES, FLAGS, meowFlags} from '../../source/cli/flags.js';
import {checkFlags, checkPaths, commandOf, readFlagWords} from '../../source/cli/parse.js';
import {closest, editDistance} from '../../source/cli/suggest.js';

const nothingExists = (): boolean => false;

describe('the first word', () => {
	it('is a command when it is one, else a path; a missing word close to a command is a typo', () => {
		expect(commandOf(['report', 'a', 'b'], nothingExists)).toEqual({command: 'report', paths: ['a', 'b']});
		expect(commandOf(['tree'], nothingExists)).toEqual({command: 'explore', paths: ['tree']});
		expect(() => commandOf(['reprot', 'tree'], nothingExists)).toThrow(new UsageError("unknown command 'reprot' (did you mean 'report'?)"));
		// It exists, or it is written as a path: explored.
		expect(commandOf(['reprot'], () => true)).toEqual({command: 'explore', paths: ['reprot']});
		expect(commandOf(['./reprot'], nothingExists)).toEqual({command: 'explore', paths: ['./reprot']});
		expect(commandOf([], nothingExists)).toEqual({command: 'explore', paths: []});
	});
});

describe('flag words', () => {
	it('names the flags given, reads negations and camelCase, leaves values and what follows -- alone', () => {
		const words = readFlagWords(['report', '--json', '--no-color', '--keepLast=2', '--min-age', '-5', '-h', '--', '--bogus']);
		expect([...words.given]).toEqual(['json', 'color', 'keepLast', 'minAge']);
		expect(words.help).toBe(true);
		expect(words.argv).toEqual(['report', '--json', '--no-color', '--keepLast=2', '--min-age', '-5', '--', '--bogus']);
	});

	it('refuses an unknown flag with the closest known one', () => {
		expect(() => readFlagWords(['--jsn'])).toThrow('unknown flag --jsn (did you mean --json?)');
		expect(() => readFlagWords(['--no-map'])).toThrow(UsageError);
		expect(() => readFlagWords(['--frobnicate'])).toThrow('unknown flag --frobnicate (see fcx --help)');
	});

	it('refuses a one-value flag given twice (meow had called it an internal error); a list flag may repeat', () => {
		expect(() => readFlagWords(['what-if', '--keep-last', '1', '--keep-last', '3'])).toThrow(new UsageError('--keep-last is given twice: give it once'));
		expect(() => readFlagWords(['--min-age=1h', '--min-age', '2h'])).toThrow(UsageError);
		expect(() => readFlagWords(['--json', '--no-json'])).toThrow(UsageError);
		expect([...readFlagWords(['--map', 'a=b', '--map', 'c=d']).given]).toEqual(['map']);
	});
});

describe('checkFlags', () => {
	it('takes a flag where it applies and refuses it elsewhere, naming where it applies', () => {
		expect(checkFlags('what-if', new Set(['keepLast']), {keepLast: '3'})).toMatchObject({keepLast: 3});
		expect(() => checkFlags('plan', new Set(['keepLast']), {keepLast: '3'})).toThrow('--keep-last applies to what-if, not to plan');
		expect(() => checkFlags('report', new Set(['files']), {files: true, json: false})).toThrow(
			'--files applies to report --json, not to report without --json',
		);
		expect(checkFlags('report', new Set(['files', 'json']), {files: true, json: true})).toMatchObject({files: true, json: true});
		// Defaults are not "given": a command is not refused for a flag it was not given.
		expect(checkFlags('clean', new Set(), {json: false, files: false, map: []})).toMatchObject({json: false});
	});

	it('reads a count as a positive whole number', () => {
		for (const bad of ['x', '0', '1.5', '', '2x']) expect(() => checkFlags('what-if', new Set(['keepLast']), {keepLast: bad})).toThrow(UsageError);
	});
});

describe('paths', () => {
	it('an empty path is a usage error, not the current directory', () => {
		expect(() => checkPaths('report', [''])).toThrow(new UsageError("an empty path ('') names no file or directory"));
		expect(() => checkPaths('explore', ['tree', ''])).toThrow(UsageError);
		expect(() => checkPaths('report', ['tree'])).not.toThrow();
	});
});

describe('the tables', () => {
	it('every flag applies to known commands and meow gets every flag', () => {
		for (const name of FLAG_NAMES) for (const command of FLAGS[name].commands) expect(COMMANDS).toContain(command);
		expect(Object.keys(meowFlags())).toEqual(FLAG_NAMES);
		expect(meowFlags().keepLast).toEqual({type: 'string'});
	});
});

describe('did you mean', () => {
	it('counts a swap of neighbours as one edit and stays silent when nothing is close', () => {
		expect(editDistance('reprot', 'report')).toBe(1);
		expect(editDistance('', 'abc')).toBe(3);
		expect(closest('inspekt', COMMANDS)).toBe('inspect');
		expect(closest('tree', COMMANDS)).toBeUndefined();
		expect(closest('repo', COMMANDS)).toBeUndefined();
	});
});
