/**
 * The shape of a plan file (`fcx plan --json`), checked with a schema before `fcx clean` reads
 * anything from it. A plan is input, not authority: passing this check only means its fields have
 * the right types; `executePlan` recomputes everything that decides safety from a fresh scan.
 */
import * as nodePath from 'node:path';
import * as v from 'valibot';
import {isRemoteRoot} from '../store/uri.js';
import type {Plan} from './types.js';

const absolutePath = v.pipe(
	v.string(),
	v.check((p) => nodePath.isAbsolute(p) || isRemoteRoot(p), 'must be an absolute path or an s3:// URI'),
);
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0, 'must be ≥ 0'));

const entrySchema = v.object({
	path: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
	type: v.picklist(['file', 'directory'], 'must be "file" or "directory"'),
	bytes: v.optional(nonNegative, 0),
	size: nonNegative,
	mtimeMs: v.pipe(v.number(), v.finite()),
	reason: v.optional(v.string(), ''),
	evidence: v.optional(v.string(), ''),
	files: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
	target: v.optional(v.string()),
	removesCheckpoints: v.optional(v.array(v.string())),
});

const planSchema = v.object({
	version: v.literal(1, 'unsupported version (expected 1)'),
	createdAt: v.optional(v.string(), ''),
	roots: v.pipe(v.array(absolutePath), v.minLength(1, 'must name at least one root')),
	minAgeMs: nonNegative,
	entries: v.array(entrySchema),
	totalBytes: v.optional(nonNegative, 0),
	mappings: v.optional(v.array(v.object({remote: v.string(), local: v.string()}))),
	excluded: v.optional(v.array(v.object({path: v.string(), reason: v.string()}))),
});

/** `entries[3].path` from a valibot issue's path. */
function fieldName(issue: v.BaseIssue<unknown>): string {
	let out = '';
	for (const item of issue.path ?? []) {
		const key = (item as {key?: unknown}).key;
		out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
	}
	return out === '' ? 'the file' : out;
}

/**
 * Check the shape of a plan read from a file (types only; see the module doc).
 * @throws Error `not an fcx plan: <field>: <what was expected>` for the first problem
 */
export function validatePlan(value: unknown): Plan {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an fcx plan: not a JSON object');
	const result = v.safeParse(planSchema, value, {abortEarly: true});
	if (!result.success) {
		const issue = result.issues[0];
		const received = issue.received === undefined || issue.message.includes('received') ? '' : ` (got ${issue.received})`;
		throw new Error(`not an fcx plan: ${fieldName(issue)}: ${issue.message}${received}`);
	}
	return result.output;
}
