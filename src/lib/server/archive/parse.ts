// An archived issue's text (the bulletin's archive format: masthead, contents, pieces with their bios and
// notes, the page-break debris of a text copied out of a PDF) read into what the import writes: the issue,
// and each piece in order with its kind, title, authors, section, bios and content as the editor schema's
// JSON. Pure: no database, no I/O.
import type { JSONContent } from '@tiptap/core';
import type { PieceKind } from '../../domain/pieces';
import { volumeAndIssue } from '../../domain/roman';
import { editorSchema } from '../../editor/extensions';
import { buildInterview, buildProse, type AuthorBio } from './build';
import { readContents, readMasthead, type ContentsEntry, type Masthead } from './front';
import { splitPieces } from './pieces';
import { ArchiveError, checkArchiveText, paragraphsOf, withoutDebris } from './text';

export interface ArchivePiece {
	kind: PieceKind;
	title: string;
	/** The board section it goes in: the contents' section name ("BRIEFS"), else Articles or Interview. */
	section: string;
	authors: string[];
	/** The closing bios, matched to the authors by name. */
	bios: AuthorBio[];
	content: JSONContent;
}

export interface ArchiveIssue {
	masthead: Masthead;
	contents: ContentsEntry[];
	pieces: ArchivePiece[];
	/** What the reader noticed and did (debris dropped, notes missing…), for the preview. */
	warnings: string[];
}

/** Read an archived issue. Throws an ArchiveError for text that is not one (the import's 422s). */
export function parseArchive(raw: string, bytes?: number): ArchiveIssue {
	const text = checkArchiveText(raw, bytes);
	const warnings: string[] = [];
	const noted = (what: string) => warnings.push(what);
	const paragraphs = paragraphsOf(text);
	const { masthead, next } = readMasthead(paragraphs);
	const { entries, next: bodyStart } = readContents(paragraphs, next);
	if (!entries.length) noted('No table of contents (page references such as "p.3") after the masthead: pieces were found by their titles and bylines');
	const body = withoutDebris(paragraphs.slice(bodyStart), [masthead.publication, volumeAndIssue(masthead.volume, masthead.number)], noted);
	const spans = splitPieces(body, entries, noted);
	if (!spans.length) {
		throw new ArchiveError(
			'no_pieces',
			`This issue (${masthead.publication}, ${volumeAndIssue(masthead.volume, masthead.number)}) has a masthead but no pieces: no title followed by its author's name, and no title from its contents, was found after the masthead${entries.length ? ' and contents' : ''}.`
		);
	}
	const pieces = spans.map((span): ArchivePiece => {
		const built = span.kind === 'interview' ? buildInterview(span, masthead.publication, noted) : buildProse(span, noted);
		editorSchema.nodeFromJSON(built.content).check(); // the one editor schema: throws on anything it has not
		return { kind: span.kind, title: span.title, section: span.section, authors: span.authors, bios: built.bios, content: built.content };
	});
	return { masthead, contents: entries, pieces, warnings };
}

export { ArchiveError };
