// The pieces of an archived issue's body: where each starts (its title, then its byline; or a title the
// contents name), what kind it is, and which section of the board it goes in.
import type { PieceKind } from '../../domain/pieces';
import { matchLabel } from '../../domain/transcript-labels';
import type { ContentsEntry } from './front';
import { bylineNames, isTitleLike } from './names';
import { loose, type Paragraph } from './text';

export interface PieceSpan {
	kind: PieceKind;
	title: string;
	authors: string[];
	/** The board's section: the contents' section name ("BRIEFS") for the pieces under it, else by kind. */
	section: string;
	/** The paragraphs after the title and byline, up to the next piece. */
	paragraphs: Paragraph[];
}

/** A labelled turn of an interview ("BW: …"), as the transcript import reads labels. */
export function turnLabel(p: Paragraph): { label: string; rest: string } | null {
	const m = matchLabel(p.lines[0]);
	if (!m || m.timestamp) return null;
	const rest = [m.rest, ...p.lines.slice(1)].join(' ').trim();
	return { label: m.label, rest };
}

/** Whether paragraphs hold an interview's turns: four labelled ones at least, two speakers. */
export function isInterview(paragraphs: Paragraph[]): boolean {
	const labels = paragraphs.map(turnLabel).filter((t) => t !== null);
	return labels.length >= 4 && new Set(labels.map((t) => t.label)).size >= 2;
}

const KIND_SECTIONS: Record<PieceKind, string> = { brief: 'Briefs', article: 'Articles', interview: 'Interview' };

/**
 * The pieces in order. A piece starts at a title-like paragraph that the contents name, or that a byline
 * follows, or (an interview) whose title says so and whose next paragraphs are its lead-in and turns, or
 * (a piece without a byline) that follows the bio or the notes that end the piece before.
 * Text before the first piece is reported, not imported.
 */
export function splitPieces(body: Paragraph[], contents: ContentsEntry[], noted: (what: string) => void): PieceSpan[] {
	const titled = new Map(contents.map((e, k) => [loose(e.title), k]));
	const knownAuthors = new Set(contents.flatMap((e) => e.authors.map((a) => a.toLowerCase())));
	let authorsNow: string[] = [];
	/** What ends a piece: a note of its Notes, or a bio of one of its authors. */
	const endsPiece = (p: Paragraph | undefined) => !!p && (/^\[\d{1,3}\]\s/.test(p.text) || authorsNow.some((a) => loose(p.text).startsWith(`${loose(a)} `)));
	const startAt = (i: number): { entry: number | null; authors: string[] } | null => {
		const p = body[i];
		if (!isTitleLike(p)) return null;
		const entry = titled.get(loose(p.text)) ?? null;
		const byline = bylineNames(body[i + 1]);
		const bylineFits = byline && (byline.some((a) => knownAuthors.has(a.toLowerCase())) || (body[i + 2] && !bylineNames(body[i + 2])));
		if (entry !== null) return { entry, authors: byline ?? [] };
		if (bylineFits) return { entry: null, authors: byline };
		if (/\binterview\b/i.test(p.text) && [body[i + 1], body[i + 2]].some((q) => q && turnLabel(q))) return { entry: null, authors: [] };
		// a piece without a byline, after one that ended with its bio or notes
		if (endsPiece(body[i - 1]) && !/^(?:#+\s*)?notes$/i.test(p.text) && body[i + 1] && !isTitleLike(body[i + 1]) && !/^\[\d{1,3}\]\s/.test(body[i + 1].text)) return { entry: null, authors: [] };
		return null;
	};

	const starts: { at: number; entry: number | null; authors: string[] }[] = [];
	for (let i = 0; i < body.length; i++) {
		const s = startAt(i);
		if (s) {
			starts.push({ at: i, ...s });
			authorsNow = s.authors;
			if (s.authors.length) i++;
		}
	}
	if (starts.length && starts[0].at > 0) noted(`${starts[0].at} paragraph${starts[0].at === 1 ? '' : 's'} before the first piece's title were not imported ("${body[0].text.slice(0, 60)}")`);

	// a section's name standing alone in the body ("BRIEFS" above the briefs) heads the pieces below it
	const headers: { at: number; title: string; entry: number | null }[] = [];
	const pieceStarts = starts.filter((s, k) => {
		const nextAt = k + 1 < starts.length ? starts[k + 1].at : body.length;
		const header = nextAt === s.at + 1 && !s.authors.length && k + 1 < starts.length;
		if (header) headers.push({ at: s.at, title: body[s.at].text, entry: s.entry });
		return !header;
	});
	const pieceTitles = new Set(pieceStarts.map((s) => loose(body[s.at].text)));
	const sectionEntries = contents.map((e) => !pieceTitles.has(loose(e.title)));
	let entryPointer = 0;
	let header: string | null = null;
	const spans: PieceSpan[] = [];
	for (const [k, s] of pieceStarts.entries()) {
		const end = k + 1 < pieceStarts.length ? pieceStarts[k + 1].at : body.length;
		const paragraphs = body.slice(s.at + 1 + (s.authors.length ? 1 : 0), end).filter((p) => !headers.some((h) => body[h.at] === p));
		const title = body[s.at].text;
		const interview = isInterview(paragraphs);
		while (headers.length && headers[0].at < s.at) {
			const h = headers.shift()!;
			header = h.title;
			if (h.entry !== null) entryPointer = h.entry;
		}
		let section: string | null = null;
		if (s.entry !== null) {
			entryPointer = s.entry + 1;
			header = null;
		} else if (header !== null) section = header;
		else {
			// under the section the contents name next (a section entry: no piece has its title)
			while (entryPointer < contents.length && !sectionEntries[entryPointer]) entryPointer++;
			let e = entryPointer;
			// a later section entry whose byline names this piece's author and the current one's does not
			const next = e + 1 < contents.length && sectionEntries[e + 1] ? e + 1 : -1;
			if (next !== -1 && s.authors.length && !overlaps(contents[e]?.authors, s.authors) && overlaps(contents[next].authors, s.authors)) e = entryPointer = next;
			if (e < contents.length && sectionEntries[e]) section = contents[e].title;
		}
		const kind: PieceKind = interview ? 'interview' : section !== null ? 'brief' : contents.length ? 'article' : paragraphs.length <= 6 ? 'brief' : 'article';
		spans.push({ kind, title, authors: s.authors, section: interview ? KIND_SECTIONS.interview : (section ?? KIND_SECTIONS[kind]), paragraphs });
	}
	return spans;
}

function overlaps(a: string[] | undefined, b: string[]): boolean {
	const names = new Set((a ?? []).map((n) => n.toLowerCase()));
	return b.some((n) => names.has(n.toLowerCase()));
}
