/** The header: title, roots and the totals of the analysis, with the mark glyphs. */
import {Box, Text} from 'ink';
import {memo} from 'react';
import {countJobs} from '../../analysis/jobs.js';
import type {Analysis} from '../../analysis/types.js';
import {truncateMiddle} from '../format.js';
import {formatBytes, formatCount, formatCountOf} from '../../text/index.js';
import {MARKS} from '../marks.js';
import {quarantinedBytes} from '../../report/quarantines.js';
import {goneAtText, type GoneAt} from '../min-age.js';

/** Props of {@link Header}. */
export interface HeaderProps {
	analysis: Analysis;
	title: string;
	/** The stores the roots are on (`s3://bucket via …`, `hdfs://nn:8020`, `listing FILE`); none for local roots. */
	store?: string;
	width: number;
	/** Started with `--allow-delete`: marked orphans can be quarantined. */
	allowDelete?: boolean;
	/** What would go at the min-age typed with `M` (after the orphans); absent without one. */
	gone?: GoneAt;
}

/**
 * The two header lines. Drawn again only when its props change: counting the orphans in progress
 * looks at every orphan (100,000 in a big tree, 1.6 ms a frame).
 */
export const Header = memo(function Header({analysis, title, store, width, allowDelete = false, gone}: HeaderProps) {
	const {totals} = analysis;
	const inProgress = analysis.orphans.filter((orphan) => orphan.possiblyInProgress).length;
	const quarantined = quarantinedBytes(analysis);
	const roots = analysis.roots.length === 0 ? '(no roots)' : analysis.roots.join(', ');
	const mode = allowDelete ? '  [--allow-delete: D quarantines marked orphans]' : '';
	const storeText = store === undefined ? '' : `  store: ${store}`;
	const rootsText = truncateMiddle(roots, Math.max(0, width - title.length - storeText.length - mode.length - 10));
	const counts = [
		formatCountOf(countJobs(analysis), 'job'),
		formatCountOf(totals.checkpoints, 'checkpoint'),
		formatCountOf(totals.savepoints, 'savepoint'),
	].join('  ');
	return (
		<Box flexDirection="column" width={width}>
			<Text wrap="truncate">
				<Text bold>{title}</Text>
				{storeText}
				{`  roots: ${rootsText}`}
				{allowDelete ? <Text color={MARKS.marked.color}>{mode}</Text> : null}
			</Text>
			<Text wrap="truncate">
				{counts}
				{'  '}
				{/* What is broken first: a narrow terminal cuts the end of the line. */}
				<Text color={totals.missing > 0 ? MARKS.missing.color : undefined}>{`${MARKS.missing.glyph} ${formatCount(totals.missing)} missing`}</Text>
				{totals.damaged > 0 ? <Text color={MARKS.missing.color}>{`  ${MARKS.missing.glyph} ${formatCount(totals.damaged)} damaged`}</Text> : null}
				{'  '}
				<Text
					color={totals.orphans > 0 ? MARKS.orphan.color : undefined}
				>{`${MARKS.orphan.glyph} ${formatCountOf(totals.orphans, 'orphan')} (${formatBytes(totals.orphanBytes)})`}</Text>
				{gone === undefined ? null : <Text color={MARKS.orphan.color}>{` · ${goneAtText(gone)}`}</Text>}
				{/* With an age typed (M), what would go at it says more than the count in progress at the command line's. */}
				{inProgress > 0 && gone === undefined ? (
					<Text color={MARKS['in-progress'].color}>{`  ${MARKS['in-progress'].glyph} ${formatCount(inProgress)} in progress`}</Text>
				) : null}
				{analysis.warnings.length > 0 ? (
					<Text color={MARKS.warning.color}>{`  ${MARKS.warning.glyph} ${formatCountOf(analysis.warnings.length, 'warning')}`}</Text>
				) : null}
				{/* Held, not freed: the bytes a cleanup moved aside until the quarantine is emptied (Q lists them). */}
				{quarantined > 0 ? `  ${formatBytes(quarantined)} quarantined (Q)` : null}
			</Text>
		</Box>
	);
});
