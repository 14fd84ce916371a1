// The archived issue as text: the checks made before anything is parsed (the import's 422s), and the text
// cut into paragraphs (blocks separated by blank lines), with the page-break debris of a text copied out of
// a PDF joined or dropped.
import { looksBinary } from '../../domain/plain-text';
import { formatMiB, MAX_REQUEST_BODY_BYTES } from '../../domain/limits';

export type ArchiveErrorCode = 'empty' | 'binary' | 'too_large' | 'not_an_issue' | 'no_pieces';

/** Why a text cannot be imported as an issue; the route answers 422 with the message. */
export class ArchiveError extends Error {
	readonly code: ArchiveErrorCode;
	constructor(code: ArchiveErrorCode, message: string) {
		super(message);
		this.name = 'ArchiveError';
		this.code = code;
		Object.setPrototypeOf(this, new.target.prototype);
	}
}

/** The largest archived issue imported: the request body limit (an issue is tens of kilobytes). */
export const MAX_ARCHIVE_BYTES = MAX_REQUEST_BODY_BYTES;

export const ARCHIVE_TOO_LARGE_MESSAGE = `The issue's text is too large: the limit is ${formatMiB(MAX_ARCHIVE_BYTES)} (${MAX_ARCHIVE_BYTES.toLocaleString('en-US')} bytes). An archived issue is tens of kilobytes: send one issue at a time.`;

/** The text, checked (size, blank, binary) and with LF line endings and no BOM; throws an ArchiveError. */
export function checkArchiveText(raw: string, bytes = new TextEncoder().encode(raw).length): string {
	if (bytes > MAX_ARCHIVE_BYTES) throw new ArchiveError('too_large', ARCHIVE_TOO_LARGE_MESSAGE);
	const text = (raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r\n?/g, '\n');
	if (text.trim() === '') throw new ArchiveError('empty', 'The text is empty: paste or upload an archived issue (its masthead, contents and pieces).');
	if (looksBinary(text)) throw new ArchiveError('binary', 'This is not text: it looks like a binary file (a PDF, an image, a Word document…). Send the issue as plain text (.txt), as archived.');
	return text;
}

/** A block of text between blank lines: its lines (trimmed) and `text`, the lines joined by one space. */
export interface Paragraph {
	lines: string[];
	text: string;
}

export function paragraph(lines: string[]): Paragraph {
	return { lines, text: joinLines(lines) };
}

/** The lines of a paragraph as one: a line ending in a Markdown hard break (`\`) joins like any other. */
function joinLines(lines: string[]): string {
	return lines
		.map((l) => l.replace(/\\$/, ''))
		.join(' ')
		.replace(/\s+/g, ' ')
		.trim();
}

export function paragraphsOf(text: string): Paragraph[] {
	const out: Paragraph[] = [];
	let lines: string[] = [];
	for (const line of text.split('\n')) {
		const t = line.replace(/\s+$/, '').replace(/^[ \t]+/, '');
		if (t === '') {
			if (lines.length) out.push(paragraph(lines));
			lines = [];
		} else lines.push(t);
	}
	if (lines.length) out.push(paragraph(lines));
	return out;
}

/** A page marker left by a page break: `p.5`, `p. 12`, `Page 7`, or a page number alone. */
export const PAGE_MARKER_RE = /^(?:p\.\s?\d{1,3}|page\s+\d{1,3}|\d{1,3})$/i;
const PAGE_REF_RE = /^(?:p\.\s?(\d{1,3})|page\s+(\d{1,3}))$/i;

/** The page a contents entry names (`p.3` → 3), else null. */
export function pageRef(p: Paragraph): number | null {
	if (p.lines.length !== 1) return null;
	const m = PAGE_REF_RE.exec(p.text);
	return m ? Number(m[1] ?? m[2]) : null;
}

/** A paragraph that resumes a sentence cut by a page break: it starts in lower case. */
function resumesSentence(p: Paragraph): boolean {
	return /^["“'‘(]?\p{Ll}/u.test(p.text);
}

/**
 * The body's paragraphs with the page-break debris gone: page markers (`p.5`) and running heads (the
 * masthead's lines repeated at the top of a page) are dropped; a paragraph that starts in lower case
 * resumes the sentence the page break cut, and is joined to the one before. `noted` hears what was done.
 */
export function withoutDebris(paragraphs: Paragraph[], runningHeads: string[], noted: (what: string) => void): Paragraph[] {
	const heads = new Set(runningHeads.map((h) => h.toLowerCase()));
	const out: Paragraph[] = [];
	let markers = 0;
	let joined = 0;
	for (const p of paragraphs) {
		if (p.lines.length === 1 && (PAGE_MARKER_RE.test(p.text) || heads.has(p.text.toLowerCase()))) {
			markers++;
			continue;
		}
		const before = out[out.length - 1];
		if (before && resumesSentence(p)) {
			out[out.length - 1] = paragraph([...before.lines, ...p.lines]);
			joined++;
			continue;
		}
		out.push(p);
	}
	if (markers) noted(`Dropped ${markers} page marker${markers === 1 ? '' : 's'} or running head${markers === 1 ? '' : 's'} in the body`);
	if (joined) noted(`Joined ${joined} sentence${joined === 1 ? '' : 's'} cut by a page break`);
	return out;
}

/** Text compared loosely: case, curly quotes, dashes and whitespace aside. */
export function loose(text: string): string {
	return text
		.toLowerCase()
		.replace(/[‘’`]/g, "'")
		.replace(/[“”]/g, '"')
		.replace(/[–—]/g, '-')
		.replace(/\\([\\`*_{}[\]()#+\-.!$])/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}
