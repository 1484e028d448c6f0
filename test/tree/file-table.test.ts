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
});
