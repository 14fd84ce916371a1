import { afterAll, describe, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { extractText, getDocumentProxy } from 'unpdf';
import { issuePDF, issueHTMLWithPages } from './pdf';
import { PdfPrinter } from './printer';
import type { AssembledIssue, AssembledPiece } from '../queries/assembly';

const para = (t: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text: t }] });
const prose = (n: number) => Array.from({ length: n }, (_, i) => para(`Paragraph ${i + 1}: the canal’s warden had received written threats in January that named the pact and the date of its signing, and the unions asked for the payments to stop.`));
const piece = (title: string, paragraphs: number, final: boolean): AssembledPiece => ({
	id: title,
	kind: 'article',
	title,
	reviewState: final ? 'approved' : 'draft',
	section: null,
	authors: [{ contributorId: 'c', name: 'Lucía Ferraro', affiliation: null, bio: '' }],
	content: { type: 'doc', content: prose(paragraphs) }
});
// titles a font may draw with ligatures (fi, ffl), accents, curly quotes; one repeated inside another piece's text
const issue: AssembledIssue = {
	issue: { id: 'i', publication: 'Basin Watch', tagline: null, volume: 7, number: 12, date: null },
	pieces: [piece('Office of Fisheries: affluent flows', 30, true), piece('Kessland’s “final” offer, Señor', 2, false), piece('Short', 45, true)]
};
issue.pieces[2].content.content!.unshift(para('Office of Fisheries: affluent flows'));

describe('issuePDF', () => {
	const printer = new PdfPrinter();
	afterAll(() => printer.close());

	it('prints the page of each title beside it in the contents, whatever the title’s letters', async () => {
		const pdf = await issuePDF(issue, printer);
		const doc = await getDocumentProxy(pdf);
		const pages = ((await extractText(doc, { mergePages: false })).text as string[]).map((t) => t.normalize('NFKC').replace(/\s+/g, ''));
		const html = await issueHTMLWithPages(issue, printer);
		const numbers = [...html.matchAll(/data-target="#piece-\d+">(\d+)</g)].map((m) => Number(m[1]));
		expect(numbers).toHaveLength(3);
		expect(numbers[0]).toBe(2);
		expect(numbers[1]).toBeGreaterThan(numbers[0] + 1); // the first piece takes more than a page
		numbers.forEach((n, i) => expect(pages[n - 1]).toContain(issue.pieces[i].title.replace(/\s+/g, '')));
		// the contents page of the PDF prints those numbers
		expect(pages[0]).toMatch(new RegExp(`Short.*LucíaFerraro${numbers[2]}`));
	}, 90_000);
});
