// The print exports' style sheet: a bulletin on A4 with paged media (CSS Paged Media as Chromium prints it
// natively: @page margin boxes, named pages). Page numbers at the foot of every page; every page of a piece
// not yet approved carries DRAFT at its head (the named page `draft`). No script: the page reads as it is.

/** Contents titles print at most this size; piece titles at PIECE_TITLE_PT. The PDF's contents numbers find titles by size (pdf.ts). */
export const PIECE_TITLE_PT = 20;

export const PRINT_CSS = `
@page {
	size: A4;
	margin: 22mm 20mm 24mm 20mm;
	@bottom-center { content: counter(page); font: 9pt Georgia, 'DejaVu Serif', serif; color: #333; }
}
@page draft {
	@top-center { content: "DRAFT"; font: bold 11pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.3em; color: #b00020; }
}
:root { color: #111; background: #fff; }
body { font: 10.5pt/1.45 Georgia, 'DejaVu Serif', serif; margin: 0 auto; max-width: 170mm; padding: 0 4mm; }
a { color: #0b4a8b; text-decoration: none; }
a:hover { text-decoration: underline; }
.masthead { text-align: center; border-bottom: 3px double #111; padding-bottom: 6mm; margin-bottom: 8mm; }
.masthead .publication { font-size: 30pt; font-weight: bold; letter-spacing: 0.02em; margin: 0 0 2mm; }
.masthead .tagline { font-style: italic; margin: 0 0 3mm; }
.masthead .volume { font: bold 9.5pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.18em; margin: 0; }
.masthead .date { font-size: 9.5pt; margin: 1mm 0 0; }
.contents h2 { font: bold 11pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.18em; text-transform: uppercase; margin: 0 0 4mm; }
.contents ol { list-style: none; margin: 0; padding: 0; }
.contents .toc-section { font: bold 9pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.15em; margin: 4mm 0 1.5mm; }
.contents .toc-entry { display: flex; align-items: baseline; gap: 3mm; margin: 0 0 2.5mm; break-inside: avoid; }
.contents .toc-entry a { flex: 1; color: inherit; }
.contents .toc-title { display: block; font-size: 11pt; font-weight: bold; }
.contents .toc-authors { display: block; font-size: 9.5pt; font-style: italic; }
.contents .toc-draft { font: bold 7.5pt 'DejaVu Sans', Arial, sans-serif; color: #b00020; letter-spacing: 0.1em; margin-left: 2mm; }
/* fixed width, so the contents lay out the same before and after their numbers are known */
.contents .toc-page { flex: none; width: 12mm; text-align: right; font-weight: bold; white-space: nowrap; }
.contents .toc-page:empty::after { content: target-counter(attr(data-target url), page); }
.piece { break-before: page; }
.piece.draft { page: draft; }
.piece-header { margin-bottom: 6mm; }
.section-label { font: bold 8.5pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.18em; text-transform: uppercase; margin: 0 0 2mm; color: #444; }
.piece-title { font-size: ${PIECE_TITLE_PT}pt; line-height: 1.2; margin: 0 0 3mm; break-after: avoid; break-inside: avoid; font-variant-ligatures: none; }
.byline { font-style: italic; margin: 0; }
.participants { font-size: 9.5pt; margin: 2mm 0 0; }
.draft-mark { display: inline-block; font: bold 8.5pt 'DejaVu Sans', Arial, sans-serif; letter-spacing: 0.2em; color: #b00020; border: 1px solid #b00020; padding: 0.5mm 2mm; margin: 0 0 3mm; }
.piece-body h2 { font-size: 13pt; margin: 5mm 0 2mm; break-after: avoid; }
.piece-body h3, .piece-body h4 { font-size: 11pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.piece-body p { margin: 0 0 2.5mm; orphans: 2; widows: 2; text-align: justify; hyphens: auto; }
.piece-body .lead-in { font-style: italic; }
.piece-body .lead-in em { font-style: normal; }
.piece-body .qa-block { margin: 0 0 2.5mm; }
.piece-body sup.endnote-ref { font-size: 7.5pt; line-height: 0; }
.piece-body blockquote { margin: 0 0 2.5mm 6mm; font-style: italic; }
.piece-body pre { white-space: pre-wrap; font-size: 9pt; }
@media screen {
	body { padding-top: 10mm; padding-bottom: 20mm; }
	.piece { border-top: 1px solid #ccc; margin-top: 12mm; padding-top: 8mm; }
}
`;
