import { describe, expect, it } from 'vitest';
import { bulletinIssue, secondIssue } from '../../../../tests/support/bulletin-issue';
import { comparablePieces } from '../../../../tests/support/archive-round-trip';
import { parseArchive, type ArchiveIssue } from '../archive/parse';
import type { AssembledIssue } from '../queries/assembly';
import { issueMarkdown, pieceMarkdown } from './markdown';

/** The parsed issue as the assembly would read it back from the database (no database here). */
function assembledFrom(parsed: ArchiveIssue): AssembledIssue {
	return {
		issue: { id: 'issue', ...parsed.masthead, date: null },
		pieces: parsed.pieces.map((p, i) => ({
			id: `piece-${i}`,
			kind: p.kind,
			title: p.title,
			reviewState: 'published',
			section: p.section,
			authors: p.authors.map((name) => ({ contributorId: name, name, affiliation: null, bio: p.bios.find((b) => b.name === name)?.text ?? '' })),
			content: p.content
		}))
	};
}

describe('Markdown in the archive format', () => {
	it('prints the masthead and the contents: a section of briefs as one entry, titles wrapped over lines', () => {
		const md = issueMarkdown(assembledFrom(parseArchive(bulletinIssue())));
		expect(md.startsWith('Basin Watch\n\nIndependent analysis of security and water in the Varesh Basin\n\nVOLUME VII, ISSUE 12\n\np.1\n\nMaren Holt\n\nBRIEFS\n\np.')).toBe(true);
		expect(md).toContain("\n\nLucía Ferraro\n\nThe Amber Brigades'\nCampaign Against the\nRiver Wardens\n\n");
	});

	it('prints a piece as the archive does: title, byline, body with citations and [n], bio, Notes', () => {
		const article = assembledFrom(parseArchive(bulletinIssue())).pieces[2];
		const md = pieceMarkdown(article);
		expect(md.startsWith("The Amber Brigades' Campaign Against the River Wardens\n\nLucía Ferraro\n\nSince the signing")).toBe(true);
		expect(md).toContain('([Basin Wire](#), February 27; [Varesh Daily](#), February 28)');
		expect(md).toContain("\n\nThe Brigades' Case Against the Wardens\n\n");
		expect(md).toContain('couriers. [1] Their pamphlets');
		expect(md).toContain('Lucía Ferraro is a research fellow at the Kessland Institute of Hydrology.\n\nNotes\n\n[1] Two statements');
	});

	for (const [name, text] of [
		['Volume VII, Issue 12', bulletinIssue],
		['Volume XIX, Issue 3', secondIssue]
	] as const) {
		it(`gives back every paragraph, citation, endnote, Q&A turn and bio when read again (${name})`, () => {
			const parsed = parseArchive(text());
			const again = parseArchive(issueMarkdown(assembledFrom(parsed)));
			expect(again.masthead).toEqual(parsed.masthead);
			expect(comparablePieces(again)).toEqual(comparablePieces(parsed));
		});
	}
});

describe('an interview with a byline and its interviewer’s bio', () => {
	it('keeps the bio apart from the last turn, both ways', () => {
		const text = bulletinIssue()
			.replace('Basin Watch Interview With Dr. Anneli Varga\n\nBasin Watch *spoke', 'Basin Watch Interview With Dr. Anneli Varga\n\nMaren Holt\n\nBasin Watch *spoke')
			.trimEnd()
			.concat('\n\nMaren Holt is the Editor of Basin Watch.\n');
		const parsed = parseArchive(text);
		const interview = parsed.pieces[4];
		expect(interview.authors).toEqual(['Maren Holt']);
		expect(interview.bios).toEqual([{ name: 'Maren Holt', text: 'Maren Holt is the Editor of Basin Watch.' }]);
		const again = parseArchive(issueMarkdown(assembledFrom(parsed)));
		expect(comparablePieces(again)).toEqual(comparablePieces(parsed));
	});
});

describe('a brief without a byline', () => {
	it('is read back as its own piece after the bio that ends the piece before it', () => {
		const parsed = parseArchive(bulletinIssue());
		const issue = assembledFrom(parsed);
		issue.pieces[1] = { ...issue.pieces[1], authors: [] };
		const again = parseArchive(issueMarkdown(issue));
		expect(again.pieces.map((p) => [p.title, p.authors])).toEqual(parsed.pieces.map((p, i) => [p.title, i === 1 ? [] : p.authors]));
		expect(comparablePieces(again)[1].paragraphs).toEqual(comparablePieces(parsed)[1].paragraphs);
	});
});
