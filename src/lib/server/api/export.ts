// The answer of the export routes (GET /api/issues/{id}/export, GET /api/pieces/{id}/export): the issue or
// piece rendered from the assembled read model in the format asked, as a download. Every format is made
// whole in memory before anything is sent, so a failure answers an error and never half a file.
import type { AssembledIssue, AssembledPiece } from '../queries/assembly';
import { exportFilename } from '../content/render';
import { issueMarkdown, pieceMarkdown } from '../export/markdown';
import { piecePrintHTML } from '../export/print-html';
import { issueHTMLWithPages, issuePDF, piecePDF } from '../export/pdf';
import { ChromiumMissing, PrintFailed, pdfPrinter } from '../export/printer';
import type { ExportFormat } from './contract';
import { ApiFailure, apiError } from './http';
import { downloadResponse } from './content';

const CONTENT_TYPES: Record<ExportFormat, string> = {
	markdown: 'text/markdown; charset=utf-8',
	html: 'text/html; charset=utf-8',
	pdf: 'application/pdf'
};

/** basin-watch-vol-7-issue-12.pdf */
export function issueFilename(issue: AssembledIssue['issue'], format: ExportFormat): string {
	return exportFilename(`${issue.publication}-vol-${issue.volume}-issue-${issue.number}`, format).toLowerCase();
}

export async function issueExport(issue: AssembledIssue, format: ExportFormat, chromiumPath: string): Promise<Response> {
	const body = format === 'markdown' ? issueMarkdown(issue) : format === 'html' ? await issueHTMLWithPages(issue, pdfPrinter(chromiumPath)) : await printing(() => issuePDF(issue, pdfPrinter(chromiumPath)));
	return downloadResponse(body, CONTENT_TYPES[format], issueFilename(issue.issue, format));
}

export async function pieceExport(piece: AssembledPiece, format: ExportFormat, chromiumPath: string): Promise<Response> {
	const body = format === 'markdown' ? pieceMarkdown(piece) : format === 'html' ? piecePrintHTML(piece) : await printing(() => piecePDF(piece, pdfPrinter(chromiumPath)));
	return downloadResponse(body, CONTENT_TYPES[format], exportFilename(piece.title, format));
}

/** A PDF, or 503 when Chromium is missing (with the install command) or failed (with why). */
async function printing(print: () => Promise<Uint8Array>): Promise<Uint8Array> {
	try {
		return await print();
	} catch (err) {
		if (err instanceof ChromiumMissing || err instanceof PrintFailed) throw new ApiFailure(apiError(503, err.message));
		throw err;
	}
}
