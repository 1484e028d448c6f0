/**
 * The `Mapping:` lines of the text report. An inferred mapping is made per job or savepoint
 * directory, so a tree of 120 jobs has 120 of them: mappings that map one remote base directory onto
 * one local base directory, name for name, are one line ("and N more").
 */
import type {Analysis} from '../analysis/types.js';
import {stripTrailingSlash} from '../tree/index.js';

type MappingEntry = Analysis['mappings'][number];

/** How many directory names a grouped line shows before "and N more". */
const NAMES_SHOWN = 2;

function splitLast(path: string): {base: string; name: string} {
	const p = stripTrailingSlash(path);
	const at = p.lastIndexOf('/');
	return {base: p.slice(0, at + 1), name: p.slice(at + 1)};
}

/**
 * The mapping lines, in the order of `mappings`: one per group of mappings that share a remote base,
 * a local base, the last directory name on both sides and whether they were inferred; a group of one
 * is written as it is (`Mapping:  remote → local (inferred)`).
 */
export function mappingLines(mappings: readonly MappingEntry[]): string[] {
	const groups = new Map<string, {remoteBase: string; localBase: string; inferred: boolean; names: string[]; first: MappingEntry}>();
	const lines: (string | {key: string})[] = [];
	for (const mapping of mappings) {
		const remote = splitLast(mapping.remote);
		const local = splitLast(mapping.local);
		if (remote.name === '' || remote.name !== local.name) {
			lines.push(single(mapping));
			continue;
		}
		const key = JSON.stringify([remote.base, local.base, mapping.inferred]);
		const group = groups.get(key);
		if (group) {
			group.names.push(remote.name);
		} else {
			groups.set(key, {remoteBase: remote.base, localBase: local.base, inferred: mapping.inferred, names: [remote.name], first: mapping});
			lines.push({key});
		}
	}
	return lines.map((line) => {
		if (typeof line === 'string') return line;
		const group = groups.get(line.key)!;
		if (group.names.length === 1) return single(group.first);
		const shown = group.names.slice(0, NAMES_SHOWN).join(', ');
		const more = group.names.length > NAMES_SHOWN ? ` and ${group.names.length - NAMES_SHOWN} more` : '';
		return `Mapping:  ${group.remoteBase}* → ${group.localBase}* (${group.inferred ? 'inferred; ' : ''}${group.names.length} directories: ${shown}${more})`;
	});
}

function single(mapping: MappingEntry): string {
	return `Mapping:  ${mapping.remote} → ${mapping.local}${mapping.inferred ? ' (inferred)' : ''}`;
}
