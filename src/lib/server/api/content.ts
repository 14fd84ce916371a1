// The answer of the content routes (a piece's content, a version's content).
import type { JSONContent } from '@tiptap/core';
import { exportFilename, renderContent, type ContentFormat } from '../content/render';

/**
 * The piece's content as GET /api/pieces/{id}/content answers it (and a version's content too): JSON for
 * clients; Markdown and HTML as exports, downloaded as attachments and sandboxed if a browser shows them.
 */
export async function contentResponse(json: JSONContent, format: ContentFormat, bios: string[], title: string): Promise<Response> {
	const { body, contentType } = await renderContent(json, format, bios);
	if (format === 'json') return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
	return downloadResponse(body, contentType, exportFilename(title, format));
}

/**
 * An export (Markdown, HTML, PDF of a piece, a version or an issue): downloaded as an attachment, never
 * cached, and sandboxed (no script, no same-origin) if a browser shows it anyway, so an export never runs
 * as a page of the app's origin.
 */
export function downloadResponse(body: string | Uint8Array, contentType: string, filename: string): Response {
	return new Response(body as BodyInit, {
		headers: {
			'content-type': contentType,
			'cache-control': 'no-store',
			'content-disposition': `attachment; filename="${filename}"`,
			'content-security-policy': 'sandbox',
			'x-content-type-options': 'nosniff'
		}
	});
}
