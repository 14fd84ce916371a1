// Reading an exported PDF back in tests: each page's text (unpdf, the PDF.js of the server's own check).
import { extractText, getDocumentProxy } from 'unpdf';

/** The text of each page, page 1 first. */
export async function pdfPageTexts(pdf: Uint8Array): Promise<string[]> {
	const doc = await getDocumentProxy(new Uint8Array(pdf));
	try {
		return (await extractText(doc, { mergePages: false })).text as string[];
	} finally {
		await doc.destroy();
	}
}

/** Text compared without whitespace: titles wrap over lines; letter-spaced text comes out as "D R A F T". */
export const squeezed = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The number the contents page prints beside each title (the first number after the title and its
 * authors), read from the PDF's first page.
 */
export function contentsNumbers(firstPage: string, titles: string[]): number[] {
	const contents = squeezed(firstPage);
	return titles.map((title) => {
		const m = new RegExp(escapeRegExp(squeezed(title)) + '(?:DRAFT)?\\D*?(\\d+)').exec(contents);
		if (!m) throw new Error(`“${title}” is not in the contents: ${firstPage}`);
		return Number(m[1]);
	});
}
