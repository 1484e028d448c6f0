/** Counts for people: thousands separators and real plurals, locale independent. */

/** A count with thousands separators (`12,345`), locale independent. */
export function formatCount(count: number): string {
	return String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `count` with its noun: `1 snapshot`, `2 snapshots` (`pluralForm` for irregular plurals). */
export function formatCountOf(count: number, singular: string, pluralForm = `${singular}s`): string {
	return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
