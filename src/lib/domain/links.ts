// Which URLs Galley keeps: the one rule for links and citations in a document (editor, server rendering,
// projections) and the one for a source's address in the library (the API and the citation dialog).

/** Link protocols a document keeps: pasted `javascript:` or `data:` links are dropped. */
export const ALLOWED_LINK_PROTOCOLS = ['http', 'https', 'mailto'];

/** An http(s) or mailto URL: what a document's links and citations may point to. */
export function isLinkUrl(url: unknown): url is string {
	return typeof url === 'string' && /^(https?:\/\/|mailto:)/i.test(url.trim());
}

/** The protocols of a source's address in the library: a web page (`z.url({ protocol })`). */
export const SOURCE_URL_PROTOCOL = /^https?$/;

/** A source's address as typed: it starts with http:// or https://. */
export function isSourceUrl(url: string): boolean {
	return /^https?:\/\//i.test(url.trim());
}
