/**
 * What resolving a path written in `_metadata` gives (see `resolve.ts` for the rules): the
 * mappings, resolutions and the comparison keys of URIs shared by the resolver, its anchors and
 * the build's phases.
 */
import * as nodePath from 'node:path';
import {classifyPath, isLocalUri, parentPath, parseUri, stripTrailingSlash, type ParsedUri} from '../tree/layout.js';

/** A remote prefix → local directory mapping. */
export interface Mapping {
	/** The remote prefix for display, as written (`hdfs://nn:8020/flink/cp`). */
	remote: string;
	/** Canonical comparison key of the prefix (see {@link matchKey}). */
	key: string;
	/** Local absolute directory. */
	local: string;
	/** `false` for `--map`, `true` when derived from the layout or the snapshots' own references. */
	inferred: boolean;
}

/** How a reference path was mapped. */
export type ResolutionRule = 'relative' | 'explicit' | 'identity' | 'anchor' | 'job' | 'savepoint' | 'base' | 'none';

/** The local path a reference maps to. */
export interface Resolution {
	/** Local absolute path, `null` when the URI cannot be mapped (outside the tree). */
	path: string | null;
	rule: ResolutionRule;
	/** Mapping used (rules `explicit`, `job`, `savepoint`, `base`). */
	mapping?: Mapping;
	/**
	 * A directory that must exist for a non-existing `path` to count as *missing*; when it does not
	 * exist either, the reference is shown as outside the tree. `null`: always missing.
	 */
	anchor: string | null;
	/**
	 * The path may mean another local copy too: its remote directory is anchored to several local
	 * directories, or a local copy sits at the written path while the snapshot anchors it elsewhere.
	 * Files of the same name elsewhere are then not orphans (see `build.ts`, phase 6).
	 */
	ambiguous?: boolean;
}

/** `res`, marked {@link Resolution.ambiguous} when `ambiguous`. */
export function marked(res: Resolution, ambiguous: boolean): Resolution {
	if (ambiguous) res.ambiguous = true;
	return res;
}

/** How the plain file names of one written directory resolve (see `Resolver.resolveUri`). */
export interface DirectoryResolution {
	/** Local directory, `null` when its files are outside the tree. */
	localDir: string | null;
	rule: ResolutionRule;
	mapping?: Mapping;
	anchor: string | null;
	ambiguous?: boolean;
}

/** A written directory whose files must each be resolved on their own. */
export const RESOLVE_EACH = 'each';

/**
 * Canonical comparison key of a parsed URI: `scheme://authority/path`; local URIs (`file:` or
 * plain absolute paths) all become `file:///path`.
 */
export function matchKey(uri: ParsedUri, path: string = uri.path): string {
	if (isLocalUri(uri)) return `file://${path === '/' ? '' : path}`;
	return `${uri.scheme}://${uri.authority ?? ''}${path === '/' ? '' : path}`;
}

/** The rest of `key` below `prefix` (`''` when equal, starting with `/` otherwise), `null` when `prefix` does not hold it. */
export function prefixRest(key: string, prefix: string): string | null {
	if (key === prefix) return '';
	if (key.startsWith(prefix) && (prefix.endsWith('/') || key.charCodeAt(prefix.length) === 47)) {
		return prefix.endsWith('/') ? key.slice(prefix.length - 1) : key.slice(prefix.length);
	}
	return null;
}

/** Local directory `local` joined with a {@link prefixRest} `rest`. */
export function joinLocal(local: string, rest: string): string {
	if (rest === '' || rest === '/') return local;
	return local === '/' ? rest : local + rest;
}

/**
 * Turn `--map` pairs into mappings. The remote side may be any URI or a plain path (a plain path
 * also matches `file:` URIs and vice versa); the local side is resolved to an absolute path.
 */
export function explicitMappings(pairs: readonly {remote: string; local: string}[]): Mapping[] {
	return pairs.map(({remote, local}) => {
		const parsed = parseUri(remote.trim());
		const key = parsed === null ? stripTrailingSlash(remote.trim()) : matchKey(parsed);
		return {remote, key, local: stripTrailingSlash(nodePath.resolve(local)), inferred: false};
	});
}

/**
 * The directory that must exist for a missing file at `path` to count as missing rather than
 * outside: its job directory, else its storage (savepoint / chk) directory, else its parent.
 */
export function anchorOf(path: string): string {
	const layout = classifyPath(path);
	if (layout.jobDir !== null && layout.jobDir !== path) return layout.jobDir;
	if (layout.storageDir !== null && layout.storageDir !== path) return layout.storageDir;
	return parentPath(path);
}
