// The answer of the content routes (a piece's content, a version's content).
import type { JSONContent } from '@tiptap/core';
import { exportFilename, renderContent, type ContentFormat } from '../content/render';

/**
 * The piece's content as GET /api/pieces/{id}/content answers it (and a version's content too): JSON for
 * clients; Markdown and HTML as exports, downloaded as attachments and sandboxed if a browser shows them.
 */
export function contentResponse(json: JSONContent, format: ContentFormat, bios: string[], title: string): Response {
	const { body, contentType } = renderContent(json, format, bios);
	const headers: Record<string, string> = { 'content-type': contentType, 'cache-control': 'no-store' };
	if (format !== 'json') {
		headers['content-disposition'] = `attachment; filename="${exportFilename(title, format)}"`;
		headers['content-security-policy'] = 'sandbox';
		headers['x-content-type-options'] = 'nosniff';
	}
	return new Response(body, { headers });
}
