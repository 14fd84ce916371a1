// PDF exports: the print HTML printed by the process's Chromium (printer.ts). An issue's contents carry TRUE
// page numbers: a first print finds the page where each piece's title is (read back from the PDF with unpdf),
// the second prints those numbers, and is read back to check them (the contents lay out the same with and
// without numbers, so one more print is never needed; if it were, the export fails rather than lie).
import { getDocumentProxy } from 'unpdf';
import type { AssembledIssue, AssembledPiece } from '../queries/assembly';
import { issuePrintHTML, piecePrintHTML, type ContentsPages } from './print-html';
import { PIECE_TITLE_PT } from './print-css';
import { ChromiumMissing, PrintFailed, type PdfPrinter } from './printer';

export async function issuePDF(issue: AssembledIssue, printer: PdfPrinter): Promise<Uint8Array> {
	const titles = issue.pieces.map((p) => p.title);
	let pdf = await printer.print(issuePrintHTML(issue));
	if (!titles.length) return pdf;
	let pages: ContentsPages | null = null;
	for (let round = 0; round < 3; round++) {
		const found = await titlePages(pdf, titles);
		if (pages && found.every((n, i) => n === pages![i])) return pdf;
		pages = found;
		pdf = await printer.print(issuePrintHTML(issue, pages));
	}
	throw new PrintFailed('The contents’ page numbers did not settle after three prints: nothing was exported');
}

/**
 * The issue's print HTML with the contents' numbers of its PDF (one print, read back), so the page printed
 * from a browser numbers as the PDF does. Without a working Chromium: the page without numbers (the
 * printer's CSS target-counter fills them where it can), never an error.
 */
export async function issueHTMLWithPages(issue: AssembledIssue, printer: PdfPrinter): Promise<string> {
	if (!issue.pieces.length || !printer.available()) return issuePrintHTML(issue);
	try {
		const pdf = await printer.print(issuePrintHTML(issue));
		return issuePrintHTML(issue, await titlePages(pdf, issue.pieces.map((p) => p.title)));
	} catch (err) {
		if (err instanceof ChromiumMissing || err instanceof PrintFailed) return issuePrintHTML(issue);
		throw err;
	}
}

export function piecePDF(piece: AssembledPiece, printer: PdfPrinter): Promise<Uint8Array> {
	return printer.print(piecePrintHTML(piece));
}

/**
 * Text compared without any whitespace (a title wraps over lines; the PDF's text runs split anywhere), in
 * compatibility form (a ligature the font drew, ﬁ, reads back as fi).
 */
const squeezed = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/**
 * The 1-based page of each title, in order: the first page (after the previous title's) whose text set at
 * piece-title size holds the title. Contents entries and running text are smaller and never match.
 */
export async function titlePages(pdf: Uint8Array, titles: string[]): Promise<number[]> {
	const doc = await getDocumentProxy(new Uint8Array(pdf));
	try {
		const large: string[] = [];
		for (let i = 1; i <= doc.numPages; i++) {
			const content = await (await doc.getPage(i)).getTextContent();
			let text = '';
			for (const item of content.items) {
				if (!('str' in item)) continue;
				const size = Math.hypot(item.transform[2], item.transform[3]);
				if (size >= PIECE_TITLE_PT * 0.9) text += item.str;
			}
			large.push(squeezed(text));
		}
		const pages: number[] = [];
		let from = 0;
		for (const title of titles) {
			const wanted = squeezed(title);
			let at = -1;
			for (let p = from; p < large.length && at === -1; p++) if (large[p].includes(wanted)) at = p;
			if (at === -1) throw new PrintFailed(`The printed PDF has no page with the title “${title}”: nothing was exported`);
			pages.push(at + 1);
			from = at + 1;
		}
		return pages;
	} finally {
		await doc.destroy();
	}
}
