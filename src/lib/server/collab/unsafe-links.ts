import * as Y from 'yjs';
import { safeCitationUrl } from '../../editor/citation';
import { isAllowedHref } from '../../editor/extensions';

// The browser editor keeps citation and link URLs to http(s) and mailto, but a client can write any mark
// attributes straight into the Yjs document over the websocket. The server neutralises what the editor
// would have refused in the same transaction as the client's update, on the scratch copy (see
// LiveDocument.applyClientUpdate), so the live document and the other peers never hold a `javascript:`
// or `data:` link in a piece; the sender gets the correction back.

/**
 * The URL attribute of each mark that links somewhere, and the editor's own rule for it. Marks are Yjs
 * format attributes named after the mark (`citation`, or `citation--<hash>` for overlapping ones).
 */
const LINK_MARKS: Record<string, { attr: string; allowed: (url: unknown) => boolean }> = {
	citation: { attr: 'url', allowed: (url) => safeCitationUrl(url) !== null },
	link: { attr: 'href', allowed: isAllowedHref }
};

function markName(formatKey: string): string {
	const i = formatKey.indexOf('--');
	return i === -1 ? formatKey : formatKey.slice(0, i);
}

/** The attributes with an unsafe URL neutralised, or null when they are fine. */
function neutralised(formatKey: string, value: unknown): { keep: Record<string, unknown> | null } | null {
	const mark = LINK_MARKS[markName(formatKey)];
	if (!mark || value === null || typeof value !== 'object') return null;
	const url = (value as Record<string, unknown>)[mark.attr];
	if (url === null || url === undefined || mark.allowed(url)) return null;
	// A citation keeps its source, date and qualifier and loses the link; a plain link is removed.
	return { keep: markName(formatKey) === 'citation' ? { ...(value as Record<string, unknown>), url: null } : null };
}

/**
 * The XmlTexts a transaction touched: parents of the structs it integrated (a client's update, and structs
 * that were waiting for it), every text inside the types it created, and parents of what it deleted (a
 * deletion can uncover an older format value underneath).
 */
export function textsTouchedBy(tr: Y.Transaction): Set<Y.XmlText> {
	const texts = new Set<Y.XmlText>();
	const addTree = (type: unknown) => {
		if (type instanceof Y.XmlText) texts.add(type);
		else if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) for (const child of type.toArray()) addTree(child);
	};
	const addParentOf = (item: Y.Item) => {
		if (item.parent instanceof Y.XmlText) texts.add(item.parent);
	};
	for (const [client, structs] of tr.doc.store.clients) {
		const before = tr.beforeState.get(client) ?? 0;
		const last = structs[structs.length - 1];
		if (!last || last.id.clock + last.length <= before) continue;
		for (let i = before === 0 ? 0 : Y.findIndexSS(structs, before); i < structs.length; i++) {
			const struct = structs[i];
			if (!(struct instanceof Y.Item)) continue;
			addParentOf(struct);
			if (struct.content instanceof Y.ContentType) addTree(struct.content.type);
		}
	}
	Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
		if (struct instanceof Y.Item) addParentOf(struct);
	});
	return texts;
}

/**
 * Rewrite unsafe citations and links in `texts` (inside the caller's transaction, if any); returns how many
 * runs were changed.
 */
export function neutraliseUnsafeLinks(texts: Iterable<Y.XmlText>): number {
	let changed = 0;
	for (const text of texts) {
		if (text._item?.deleted || !text.doc) continue;
		// Every keystroke passes here: a walk over the text's items finds the format items with an unsafe
		// value (in effect or not); only a text that has one is read as a delta and corrected.
		const unsafe: Y.Item[] = [];
		for (let item = text._start; item !== null; item = item.right) {
			if (!item.deleted && item.content instanceof Y.ContentFormat && neutralised(item.content.key, item.content.value)) unsafe.push(item);
		}
		if (unsafe.length === 0) continue;
		let index = 0;
		let fixedHere = 0;
		for (const run of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
			const length = typeof run.insert === 'string' ? run.insert.length : 1;
			for (const [key, value] of Object.entries(run.attributes ?? {})) {
				const fix = neutralised(key, value);
				if (fix) {
					text.format(index, length, { [key]: fix.keep });
					fixedHere++;
				}
			}
			index += length;
		}
		// No format item may keep the unsafe value, not even one without effect: `format` re-inserts the old
		// value after the range (for what follows), and a later deletion could uncover it. Deleted in this
		// transaction, the items are garbage-collected before the update is encoded, so no peer receives it.
		text.doc.transact((tr) => {
			for (let item = text._start; item !== null; item = item.right) {
				if (!item.deleted && item.content instanceof Y.ContentFormat && neutralised(item.content.key, item.content.value)) item.delete(tr);
			}
		});
		Y.cleanupYTextFormatting(text);
		changed += fixedHere || unsafe.length;
	}
	return changed;
}
