// The front of an archived issue: the masthead (publication, tagline, "VOLUME VII, ISSUE 12") and the table
// of contents: entries of a page reference (`p.3`), the author(s) and the title, wrapped over lines.
import { fromRoman } from '../../domain/roman';
import { bylineNames } from './names';
import { ArchiveError, loose, pageRef, type Paragraph } from './text';

export interface Masthead {
	publication: string;
	tagline: string | null;
	volume: number;
	number: number;
}

export interface ContentsEntry {
	page: number;
	authors: string[];
	/** The title, its lines joined. */
	title: string;
}

const VOLUME_RE = /^(?:VOLUME|VOL\.)\s+([IVXLCDM]+|\d{1,4})\s*[,.;·|–—-]?\s*(?:ISSUE|NO\.|NUMBER)\s+(\d{1,4}|[IVXLCDM]+)$/i;

/** The masthead line's volume and number ("VOLUME VII, ISSUE 12" → 7, 12), or null. */
export function volumeLine(text: string): { volume: number; number: number } | null {
	const m = VOLUME_RE.exec(text.trim());
	if (!m) return null;
	const volume = fromRoman(m[1]);
	const number = fromRoman(m[2]);
	return volume && number ? { volume, number } : null;
}

const NOT_AN_ISSUE =
	'This is not an archived issue: no masthead with a "VOLUME …, ISSUE …" line was found in its first lines. An issue starts with the publication\'s name, its tagline and e.g. "VOLUME VII, ISSUE 12", then the contents and the pieces.';

/** The masthead and the index of the paragraph after it. Throws `not_an_issue` without a volume line near the top. */
export function readMasthead(paragraphs: Paragraph[]): { masthead: Masthead; next: number } {
	const at = paragraphs.slice(0, 6).findIndex((p) => p.lines.length === 1 && volumeLine(p.text));
	if (at < 1) throw new ArchiveError('not_an_issue', NOT_AN_ISSUE);
	const { volume, number } = volumeLine(paragraphs[at].text)!;
	const before = paragraphs.slice(0, at);
	return {
		masthead: { publication: before[0].text, tagline: before.length > 1 ? before.slice(1).map((p) => p.text).join(' ') : null, volume, number },
		next: at + 1
	};
}

/**
 * The contents, from `start`: entries while a page reference follows. An entry is `p.N`, then the
 * byline when there is one, then the title (its lines joined). The last entry ends where the pieces begin:
 * its second paragraph is a title only when the first is a byline and that title comes again below
 * (as the piece's), or is a section's name in capitals ("BRIEFS").
 */
export function readContents(paragraphs: Paragraph[], start: number): { entries: ContentsEntry[]; next: number } {
	const entries: ContentsEntry[] = [];
	let i = start;
	// anything between the masthead and the first page reference (a date line) is skipped
	const first = paragraphs.slice(start, start + 3).findIndex((p) => pageRef(p) !== null);
	if (first === -1) return { entries, next: start };
	i = start + first;
	while (i < paragraphs.length && pageRef(paragraphs[i]) !== null) {
		const page = pageRef(paragraphs[i])!;
		let end = i + 1;
		while (end < paragraphs.length && pageRef(paragraphs[end]) === null) end++;
		// a page marker far below (page-break debris in the body) is no next entry: this one is the last
		const isLast = end >= paragraphs.length || end - i - 1 > 3;
		const body = paragraphs.slice(i + 1, isLast ? Math.min(i + 3, paragraphs.length) : end);
		const byline = body.length > 1 ? bylineNames(body[0]) : null;
		let used: number;
		if (!isLast) {
			used = body.length;
		} else if (byline && body[1] && (isSectionName(body[1].text) || comesAgain(paragraphs, i + 3, body[1].text))) {
			used = 2;
		} else used = 1;
		const taken = body.slice(0, used);
		const titleParas = byline ? taken.slice(1) : taken;
		if (titleParas.length === 0) break;
		entries.push({ page, authors: byline ?? [], title: titleParas.map((p) => p.text).join(' ') });
		i = i + 1 + used;
		if (isLast) break;
	}
	return { entries, next: i };
}

export function isSectionName(text: string): boolean {
	return /^[\p{Lu}\d][\p{Lu}\d &'’,-]*$/u.test(text) && /\p{Lu}{3}/u.test(text);
}

function comesAgain(paragraphs: Paragraph[], from: number, title: string): boolean {
	const wanted = loose(title);
	for (let j = from; j < paragraphs.length; j++) if (loose(paragraphs[j].text) === wanted) return true;
	return false;
}
