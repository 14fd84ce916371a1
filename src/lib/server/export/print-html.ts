// Print HTML: an issue (masthead, contents with page numbers, its pieces) or one piece as one self-contained
// page styled as the bulletin (print-css.ts). The pieces' bodies come from the one editor schema
// (content/render.ts renderPrintHTML: the print form, serialised from the schema's toDOM), so this file only
// lays out the issue around them. Everything typed is escaped; links are filtered as the editor filters them.
import { escapeHTML, renderPrintHTML } from '../content/render';
import { isFinal, type AssembledIssue, type AssembledPiece } from '../queries/assembly';
import { participantsFromJSON } from '../../editor/participants';
import { volumeAndIssue } from '../../domain/roman';
import { REVIEW_STATE_LABELS } from '../../domain/pieces';
import { PRINT_CSS } from './print-css';

/**
 * The contents' page numbers, one per piece in order: the PDF page where the piece's title is. Absent: the
 * numbers are left to the printer (CSS target-counter, for renderers that support it); the contents lay out
 * the same either way (fixed-width numbers), so a first print finds the pages and the second prints them.
 */
export type ContentsPages = readonly (number | null)[];

/** The id of the n-th piece's article (0-based), the contents' link target. */
export const pieceAnchor = (index: number) => `piece-${index + 1}`;

export function issuePrintHTML(assembled: AssembledIssue, pages?: ContentsPages): string {
	const { issue, pieces } = assembled;
	const masthead = [
		`<header class="masthead">`,
		`<p class="publication">${escapeHTML(issue.publication)}</p>`,
		issue.tagline ? `<p class="tagline">${escapeHTML(issue.tagline)}</p>` : '',
		`<p class="volume">${escapeHTML(volumeAndIssue(issue.volume, issue.number))}</p>`,
		issue.date ? `<p class="date">${escapeHTML(printedDate(issue.date))}</p>` : '',
		`</header>`
	].join('');
	const title = `${issue.publication}, ${volumeAndIssue(issue.volume, issue.number)}`;
	const body = masthead + contents(pieces, pages) + pieces.map((p, i) => pieceArticle(p, pieceAnchor(i))).join('');
	return page(title, body);
}

export function piecePrintHTML(piece: AssembledPiece): string {
	return page(piece.title, pieceArticle(piece, pieceAnchor(0)));
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Galley">
<title>${escapeHTML(title)}</title>
<style>${PRINT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function contents(pieces: AssembledPiece[], pages?: ContentsPages): string {
	if (!pieces.length) return '';
	const rows: string[] = [];
	let section: string | null | undefined;
	pieces.forEach((piece, i) => {
		if (piece.section !== section) {
			section = piece.section;
			if (section) rows.push(`<li class="toc-section">${escapeHTML(section)}</li>`);
		}
		const anchor = pieceAnchor(i);
		const n = pages?.[i];
		const authors = byline(piece);
		rows.push(
			`<li class="toc-entry"><a href="#${anchor}"><span class="toc-title">${escapeHTML(piece.title)}` +
				(isFinal(piece) ? '' : `<span class="toc-draft">DRAFT</span>`) +
				`</span>${authors ? `<span class="toc-authors">${escapeHTML(authors)}</span>` : ''}</a>` +
				`<span class="toc-page" data-target="#${anchor}">${n ? String(n) : ''}</span></li>`
		);
	});
	return `<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>${rows.join('')}</ol></nav>`;
}

function pieceArticle(piece: AssembledPiece, anchor: string): string {
	const draft = !isFinal(piece);
	const authors = byline(piece);
	const participants = piece.kind === 'interview' ? participantsFromJSON(piece.content) : [];
	const header = [
		`<header class="piece-header">`,
		draft ? `<p class="draft-mark">DRAFT · ${escapeHTML(REVIEW_STATE_LABELS[piece.reviewState])}</p>` : '',
		piece.section ? `<p class="section-label">${escapeHTML(piece.section)}</p>` : '',
		`<h1 class="piece-title">${escapeHTML(piece.title)}</h1>`,
		authors ? `<p class="byline">${escapeHTML(authors)}</p>` : '',
		participants.length
			? `<p class="participants">${participants.map((p) => `<b>${escapeHTML(p.label)}</b> ${escapeHTML(p.name)}`).join(' · ')}</p>`
			: '',
		`</header>`
	].join('');
	const bios = piece.authors.map((a) => a.bio).filter((b) => b.trim());
	return (
		`<article class="piece piece-${piece.kind}${draft ? ' draft' : ''}" id="${anchor}">` +
		header +
		`<div class="piece-body">${renderPrintHTML(piece.content, bios)}</div>` +
		`</article>`
	);
}

/** "Maren Holt", "Maren Holt and Lucía Ferraro", "A, B and C". */
function byline(piece: AssembledPiece): string {
	const names = piece.authors.map((a) => a.name);
	return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** 2027-03-15 → "15 March 2027" (anything else as it is). */
function printedDate(date: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return date;
	return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
