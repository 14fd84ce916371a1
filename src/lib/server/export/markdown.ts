// An issue, or one piece, as Markdown in the bulletin's archive format: the masthead (publication, tagline,
// "VOLUME VII, ISSUE 12"), the contents (page, byline, title wrapped over lines; a section of briefs is one
// entry under its name), then each piece: title, byline, body, the authors' bios, Notes. It is what the
// archive import (server/archive) reads, so an issue exported and imported again is the same issue. Piece
// bodies are the piece Markdown of content/render.ts (the print form of editor/print.ts); the archive prints
// section headings as lines of their own, so the `##` of a heading is left out.
import type { AssembledIssue, AssembledPiece } from '../queries/assembly';
import { renderMarkdown } from '../content/render';
import { volumeAndIssue } from '../../domain/roman';
import { textOf } from '../../editor/projection';

/** The archive's bylines: "A", "A and B", "A, B and C". */
function byline(names: string[]): string {
	return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One line of the archive: no line breaks inside (a title or a name typed with one). */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A title wrapped over lines of about 20 characters, as the contents column prints it. */
function wrapTitle(title: string, width = 20): string {
	const lines: string[] = [];
	for (const word of oneLine(title).split(' ')) {
		const last = lines[lines.length - 1];
		if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
		else lines.push(word);
	}
	return lines.join('\n');
}

/** The piece's body as Markdown, bios and Notes included, headings as lines of their own. */
function bodyMarkdown(piece: AssembledPiece): string {
	const bios = piece.authors.map((a) => a.bio).filter((b) => b.trim() !== '');
	return renderMarkdown(piece.content, bios)
		.replace(/^#{1,6} /gm, '')
		.trim();
}

/** One piece in the archive format: title, byline, body, bios, Notes. */
export function pieceMarkdown(piece: AssembledPiece): string {
	const names = piece.authors.map((a) => oneLine(a.name)).filter(Boolean);
	const head = [oneLine(piece.title), ...(names.length ? [byline(names)] : [])];
	const body = bodyMarkdown(piece);
	return [...head, ...(body ? [body] : [])].join('\n\n') + '\n';
}

/** Words of a piece as printed, for the contents' page estimate. */
function words(piece: AssembledPiece): number {
	return textOf(piece.content).split(/\s+/).filter(Boolean).length + piece.authors.reduce((n, a) => n + a.bio.split(/\s+/).length, 0);
}

/** Words on a printed page of the bulletin (two columns), for the contents' page numbers. */
const WORDS_PER_PAGE = 330;

interface Entry {
	page: number;
	authors: string[];
	title: string;
}

/**
 * The contents: a section of briefs is one entry (its name, its authors), every other piece one entry of
 * its own. The page numbers are an estimate from the words before each piece (Markdown has no pages; the
 * PDF's contents have the true ones).
 */
function contents(issue: AssembledIssue): Entry[] {
	const entries: Entry[] = [];
	let wordsBefore = 0;
	let open: { section: string; entry: Entry } | null = null;
	for (const piece of issue.pieces) {
		const page = 1 + Math.floor(wordsBefore / WORDS_PER_PAGE);
		const names = piece.authors.map((a) => oneLine(a.name));
		const inBriefs = piece.kind === 'brief' && piece.section !== null && issue.pieces.filter((p) => p.section === piece.section).every((p) => p.kind === 'brief');
		if (inBriefs && open?.section === piece.section) {
			for (const n of names) if (!open.entry.authors.includes(n)) open.entry.authors.push(n);
		} else if (inBriefs) {
			open = { section: piece.section!, entry: { page, authors: [...names], title: piece.section! } };
			entries.push(open.entry);
		} else {
			open = null;
			entries.push({ page, authors: names, title: piece.title });
		}
		wordsBefore += words(piece);
	}
	return entries;
}

/** The whole issue in the archive format. */
export function issueMarkdown(issue: AssembledIssue): string {
	const { publication, tagline, volume, number } = issue.issue;
	const out: string[] = [oneLine(publication)];
	if (tagline?.trim()) out.push(oneLine(tagline));
	out.push(volumeAndIssue(volume, number));
	for (const entry of contents(issue)) {
		out.push(`p.${entry.page}`);
		if (entry.authors.length) out.push(byline(entry.authors));
		out.push(wrapTitle(entry.title));
	}
	for (const piece of issue.pieces) out.push(pieceMarkdown(piece).trimEnd());
	return out.join('\n\n') + '\n';
}
