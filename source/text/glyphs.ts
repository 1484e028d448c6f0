/**
 * The glyphs of the report and the explorer: one table, so that a mark means the same everywhere.
 */

/**
 * Glyphs used by the report and the explorer. Every glyph is always printed together with a word
 * (e.g. `✗ missing`), so the output stays readable without colour and greppable.
 */
export const GLYPHS = {
	/** A referenced file that is not on disk; a checkpoint with missing files. */
	missing: '✗',
	/** An orphan: a file or directory that nothing references. */
	orphan: '⊘',
	/** A reference into another job's directory (trace of a CLAIM / LEGACY restore). */
	crossJob: '↗',
	/** Possibly in progress: younger than `--min-age`, not counted as an orphan. */
	inProgress: '…',
	/** A complete checkpoint / savepoint. */
	ok: '✓',
	/** A warning or an unreadable `_metadata`. */
	warning: '!',
	/** Marked for quarantine in the explorer. */
	marked: '●',
	/** Outside the scanned tree (not checked). */
	outside: '⇢',
} as const;
