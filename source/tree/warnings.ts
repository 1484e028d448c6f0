/**
 * Warnings of a scan and an analysis: a typed code that decisions read, and a message for people.
 * Code that keeps data safe (what `fcx clean` leaves alone) reads {@link Warning.code}, never the
 * message's wording.
 */

/**
 * What a warning is about.
 * - Roots: `root-alias` (two roots reach one real directory), `root-not-directory`, `root-unreadable`.
 * - Unseen by the scan (something at or below the path was not looked at): `unreadable-directory`,
 *   `not-regular-file` (a FIFO, socket or device), `vanished` (gone between listing and `lstat`),
 *   `unreadable-symlink`, `symlink-not-followed`.
 * - Inputs and snapshots: `input-unreadable` (a path named on the command line), `unreadable-metadata`,
 *   `job-orphans-withheld` (unreferenced files of a job are not called orphans, and why),
 *   `unmapped-references` (files of a directory may be what a snapshot references through a path
 *   fcx could not map, or that maps to several local copies: not called orphans; the message
 *   suggests a `--map`).
 * - Object stores: `pending-upload` (an incomplete multipart upload: bytes billed that no listing
 *   shows; unseen by the scan), `pending-uploads-unknown` (the store cannot list them).
 * - Offline listings: `listing-age` (when the listing shows the tree: ages are as of then),
 *   `listing-other-authority` (entries of another bucket or namenode, left out).
 * - Entropy injection: `entropy-prefixes` (the entropy prefixes listed for a root), `entropy-detected`
 *   (references lie below entropy prefixes that were not listed, `--entropy-key` not given: unseen
 *   by the scan, so below the root nothing is missing and nothing is an orphan; the message says
 *   what was seen and the `--entropy-key` invocation to use).
 */
export type WarningCode =
	| 'root-alias'
	| 'root-not-directory'
	| 'root-unreadable'
	| 'unreadable-directory'
	| 'not-regular-file'
	| 'vanished'
	| 'unreadable-symlink'
	| 'symlink-not-followed'
	| 'input-unreadable'
	| 'unreadable-metadata'
	| 'job-orphans-withheld'
	| 'unmapped-references'
	| 'pending-upload'
	| 'pending-uploads-unknown'
	| 'listing-age'
	| 'listing-other-authority'
	| 'entropy-prefixes'
	| 'entropy-detected';

/** A warning about one path: what (`code`), where (`path`, absolute), and a line for people. */
export interface Warning {
	code: WarningCode;
	path: string;
	message: string;
}

/** The codes that say something at or below the warning's path was not seen by the scan. */
const UNSEEN_BY_SCAN: ReadonlySet<WarningCode> = new Set<WarningCode>([
	'unreadable-directory',
	'not-regular-file',
	'vanished',
	'unreadable-symlink',
	'symlink-not-followed',
	'pending-upload',
	'entropy-detected',
]);

/**
 * Whether `warning` says something at or below its path was not seen by the scan: a fingerprint
 * of the files there does not cover it. Other warnings (an unreadable `_metadata`, say) are about
 * files the scan did see.
 */
export function isUnseenByScan(warning: Pick<Warning, 'code'>): boolean {
	return UNSEEN_BY_SCAN.has(warning.code);
}

/** Whether the unseen thing of `warning` is a symlink (broken, outside, or unreadable). */
export function isSymlinkWarning(warning: Pick<Warning, 'code'>): boolean {
	return warning.code === 'symlink-not-followed' || warning.code === 'unreadable-symlink';
}
