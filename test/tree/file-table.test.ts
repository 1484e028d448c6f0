import {describe, expect, it} from 'vitest';
import {FileTable} from '../../source/tree/file-table.js';

describe('FileTable', () => {
	it('keeps sizes and mtimes by file id, replaces a file added again and grows past its first columns', () => {
		const table = new FileTable();
		const count = 1000;
		for (let i = 0; i < count; i++) table.addFile(`/r/d${i % 3}`, `f${i}`, i * 10, 1_700_000_000_000 + i);
		expect(table.size).toBe(count);
		const id = table.addFile('/r/d1', 'f1', 7, 42);
		expect(table.size).toBe(count);
		expect(table.idOf('/r/d1/f1')).toBe(id);
		expect(table.get('/r/d1/f1')).toEqual({size: 7, mtimeMs: 42});
		expect([table.sizeOf(id), table.mtimeOf(id)]).toEqual([7, 42]);
		expect(table.get('/r/d2/f998')).toEqual({size: 9980, mtimeMs: 1_700_000_000_998});
		expect(table.has('/r/d0/f1')).toBe(false);
		expect(table.idOf('relative')).toBe(-1);
		expect([...table.directories()]).toEqual(['/r/d0', '/r/d1', '/r/d2']);
		expect(table.directory('/r/d0')!.get('f999')).toBe(999);
		const entries = [...table];
		expect(entries).toHaveLength(count);
		expect(entries[0]).toEqual(['/r/d0/f0', {size: 0, mtimeMs: 1_700_000_000_000}]);
		expect([...table.keys()]).toEqual(entries.map(([path]) => path));
	});

	it('keeps what was added when it reserves room', () => {
		const table = new FileTable();
		table.add('/a', 'x', {size: 1, mtimeMs: 2});
		table.reserve(10_000);
		table.add('/a', 'y', {size: 3, mtimeMs: 4});
		expect(Object.fromEntries(table)).toEqual({'/a/x': {size: 1, mtimeMs: 2}, '/a/y': {size: 3, mtimeMs: 4}});
	});

	it('takes the stats of files named first at once, and forgets every file when cleared', () => {
		const table = new FileTable();
		for (const name of ['x', 'y', 'z']) table.addFile('/a', name, 0, 0);
		table.setStats(new Float64Array([1, 2, 3]), new Float64Array([10, 20, 30]));
		expect(Object.fromEntries(table)).toEqual({'/a/x': {size: 1, mtimeMs: 10}, '/a/y': {size: 2, mtimeMs: 20}, '/a/z': {size: 3, mtimeMs: 30}});
		expect(() => table.setStats(new Float64Array(4), new Float64Array(4))).toThrow(RangeError);
		table.clear();
		expect([table.size, [...table], table.directory('/a')]).toEqual([0, [], undefined]);
		expect(table.addFile('/b', 'w', 5, 6)).toBe(0);
	});

	it('reads size and mtime 0 for names without stats, keeps the stats given for every file and starts afresh when cleared', () => {
		const table = new FileTable();
		table.reserve(1000);
		table.addNames('/a', ['x', 'y']);
		expect([table.get('/a/x'), table.sizeOf(1), table.mtimeOf(1)]).toEqual([{size: 0, mtimeMs: 0}, 0, 0]);
		const sizes = new Float64Array([1, 2]);
		table.setStats(sizes, new Float64Array([10, 20]));
		table.addFile('/a', 'z', 3, 30);
		table.addNames('/b', ['w']);
		expect(Object.fromEntries(table)).toEqual({
			'/a/x': {size: 1, mtimeMs: 10},
			'/a/y': {size: 2, mtimeMs: 20},
			'/a/z': {size: 3, mtimeMs: 30},
			'/b/w': {size: 0, mtimeMs: 0},
		});
		table.clear();
		table.addNames('/c', ['v', 'u']);
		expect(Object.fromEntries(table)).toEqual({'/c/v': {size: 0, mtimeMs: 0}, '/c/u': {size: 0, mtimeMs: 0}});
		expect([...sizes]).toEqual([1, 2]);
	});

	it('adds the names of a directory at once as one by one, growing past its columns', () => {
		const names = Array.from({length: 700}, (_, i) => `n${i}`);
		const oneByOne = new FileTable();
		const atOnce = new FileTable();
		for (const table of [oneByOne, atOnce]) table.addFile('/a', 'n5', 7, 8);
		for (const dir of ['/b', '/a', '/c']) {
			for (const name of names) oneByOne.addFile(dir, name, 0, 0);
			atOnce.addNames(dir, names);
		}
		expect(atOnce.size).toBe(3 * names.length);
		expect([...atOnce]).toEqual([...oneByOne]);
		// Ids in the order added: /b's names right after /a's first file.
		expect(atOnce.idOf('/b/n0')).toBe(1);
		expect(atOnce.idOf('/c/n699')).toBe(oneByOne.idOf('/c/n699'));
		expect(atOnce.get('/a/n5')).toEqual({size: 0, mtimeMs: 0});
	});

	it('keeps names added at once as a list until one is looked up by name', () => {
		const table = new FileTable();
		table.addFile('/a', 'first', 1, 2);
		table.addNames('/d', ['x', '_metadata', 'y']);
		table.addNames('/e', ['z']);
		expect(table.listed('/d')).toEqual({names: ['x', '_metadata', 'y'], first: 1});
		expect(table.listed('/a')).toBeUndefined(); // added one by one: a map
		// Walking, testing a name and the stats leave the list as it is.
		const walked: [string, number][] = [];
		table.forEachFile('/d', (name, id) => walked.push([name, id]));
		expect(walked).toEqual([
			['x', 1],
			['_metadata', 2],
			['y', 3],
		]);
		expect([table.hasFile('/d', '_metadata'), table.hasFile('/d', 'w'), table.hasFile('/nowhere', 'x')]).toEqual([true, false, false]);
		table.setStats(new Float64Array([1, 5, 6, 7, 8]), new Float64Array([2, 50, 60, 70, 80]));
		expect([...table.keys()]).toEqual(['/a/first', '/d/x', '/d/_metadata', '/d/y', '/e/z']);
		expect(table.listed('/d')).toBeDefined();
		// A lookup by name makes the map, with the same ids; so does adding a file there.
		expect(table.get('/d/y')).toEqual({size: 7, mtimeMs: 70});
		expect(table.listed('/d')).toBeUndefined();
		expect(table.directory('/d')).toEqual(
			new Map([
				['x', 1],
				['_metadata', 2],
				['y', 3],
			]),
		);
		expect(table.addFile('/e', 'z2', 9, 90)).toBe(5);
		expect(table.listed('/e')).toBeUndefined();
		expect(Object.fromEntries(table)).toEqual({
			'/a/first': {size: 1, mtimeMs: 2},
			'/d/x': {size: 5, mtimeMs: 50},
			'/d/_metadata': {size: 6, mtimeMs: 60},
			'/d/y': {size: 7, mtimeMs: 70},
			'/e/z': {size: 8, mtimeMs: 80},
			'/e/z2': {size: 9, mtimeMs: 90},
		});
	});
});
