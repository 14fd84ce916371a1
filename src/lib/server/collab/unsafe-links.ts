import * as Y from 'yjs';
import { safeCitationUrl } from '../../editor/citation';
import { BODY_FRAGMENT } from '../content/document';

// The browser editor keeps citation and link URLs to http(s) and mailto, but a client can write any mark
// attributes straight into the Yjs document over the websocket. The server neutralises what the editor
// would have refused, in a transaction of its own that every client receives, so no peer ever holds a
// `javascript:` or `data:` link in a piece.

/** The URL attribute of each mark that links somewhere. Marks are Yjs format attributes named after the mark (`citation`, or `citation--<hash>` for overlapping ones). */
const LINK_MARKS: Record<string, string> = { citation: 'url', link: 'href' };

function markName(formatKey: string): string {
	const i = formatKey.indexOf('--');
	return i === -1 ? formatKey : formatKey.slice(0, i);
}

/** The attributes with an unsafe URL neutralised, or null when they are fine. */
function neutralised(formatKey: string, value: unknown): { keep: Record<string, unknown> | null } | null {
	const attr = LINK_MARKS[markName(formatKey)];
	if (!attr || value === null || typeof value !== 'object') return null;
	const url = (value as Record<string, unknown>)[attr];
	if (url === null || url === undefined || safeCitationUrl(url) !== null) return null;
	// A citation keeps its source, date and qualifier and loses the link; a plain link is removed.
	return { keep: attr === 'url' ? { ...(value as Record<string, unknown>), url: null } : null };
}

/** Does this (decoded) update set a citation or link mark whose URL is not http(s) or mailto? */
export function setsUnsafeLink(structs: ReturnType<typeof Y.decodeUpdate>['structs']): boolean {
	for (const struct of structs) {
		if (struct instanceof Y.Item && struct.content instanceof Y.ContentFormat) {
			if (neutralised(struct.content.key, struct.content.value)) return true;
		}
	}
	return false;
}

/** Rewrite every unsafe citation or link in the document's body; returns how many runs were changed. */
export function neutraliseUnsafeLinks(doc: Y.Doc, origin: unknown = 'server'): number {
	let changed = 0;
	doc.transact(() => {
		const visit = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
			if (node instanceof Y.XmlText) {
				let index = 0;
				for (const run of node.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
					const length = typeof run.insert === 'string' ? run.insert.length : 1;
					for (const [key, value] of Object.entries(run.attributes ?? {})) {
						const fix = neutralised(key, value);
						if (fix) {
							node.format(index, length, { [key]: fix.keep });
							changed++;
						}
					}
					index += length;
				}
				return;
			}
			for (const child of node.toArray()) if (child instanceof Y.XmlElement || child instanceof Y.XmlText) visit(child);
		};
		visit(doc.getXmlFragment(BODY_FRAGMENT));
	}, origin);
	return changed;
}
