import * as Y from 'yjs';
import type { NodeType } from '@tiptap/pm/model';
import { conformMark, elementNodeType, isNodeAttribute, schema, type MarkProblem } from '../content/schema-rules';

// The browser editor only ever writes what the editor schema allows, but a client can write any element,
// attribute or format straight into the Yjs document over the websocket. The server conforms every client
// update to the one editor schema (`editorSchema`) in the same transaction as the update, on the scratch
// copy (see LiveDocument.applyClientUpdate), so the live document and the other peers never hold what the
// schema does not have; the corrected update is what everyone, the sender included, receives.
//
// The rule: what the update itself brought and the schema does not allow is removed; content that was in
// the document before is never removed for its sake.
// - an element (with everything inside it) whose name is no node of the schema, or that its parent's
//   content expression does not allow at its place (a `script`, an `image`, a paragraph inside a
//   paragraph, text directly in the body, a `participant` outside `participants`), and anything in a list
//   of children that is not an element or a text (a string, a map, an embed);
// - an attribute the element's node type does not have (`onclick`, `style`);
// - in every text the update touched: a format (mark) the schema does not have, or that the text's
//   parent does not allow (marks in a code block); attributes a mark does not have; citation and link URLs
//   the editor would refuse (a citation keeps its source and date and loses the link; a link is removed);
//   embeds (anything in a text that is not a string).
// Content the schema needs but lacks (an emptied list after concurrent deletions) is left alone: the
// browser editor shows it, and rendering fills it in.

/** What conforming a transaction changed: counts per kind of problem, e.g. `element script`, `unsafe link`. */
export type ConformanceReport = Map<string, number>;

function note(report: ConformanceReport, what: string, n = 1): void {
	report.set(what, (report.get(what) ?? 0) + n);
}

/** The number of unsafe links corrected, of all the changes in a report. */
export function unsafeLinksIn(report: ConformanceReport): number {
	return report.get('unsafe link') ?? 0;
}

/** What a transaction touched, inside `body`: lists of children it inserted into, elements it set attributes of, texts. */
interface Touched {
	parents: Set<Y.XmlElement | Y.XmlFragment>;
	attributed: Set<Y.XmlElement>;
	texts: Set<Y.XmlText>;
}

/**
 * The types a transaction touched: parents of the structs it integrated (a client's update, and structs
 * that were waiting for it), every text and element inside the types it created, and texts holding what it
 * deleted (a deletion can uncover an older format value underneath).
 */
function touchedBy(tr: Y.Transaction): Touched {
	const touched: Touched = { parents: new Set(), attributed: new Set(), texts: new Set() };
	const addTree = (type: unknown) => {
		if (type instanceof Y.XmlText) touched.texts.add(type);
		else if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
			touched.parents.add(type);
			if (type instanceof Y.XmlElement) touched.attributed.add(type);
			for (const child of type.toArray()) addTree(child);
		}
	};
	for (const [client, structs] of tr.doc.store.clients) {
		const before = tr.beforeState.get(client) ?? 0;
		const last = structs[structs.length - 1];
		if (!last || last.id.clock + last.length <= before) continue;
		for (let i = before === 0 ? 0 : Y.findIndexSS(structs, before); i < structs.length; i++) {
			const struct = structs[i];
			if (!(struct instanceof Y.Item)) continue;
			const parent = struct.parent;
			if (parent instanceof Y.XmlText) touched.texts.add(parent);
			else if (struct.parentSub !== null) {
				if (parent instanceof Y.XmlElement) touched.attributed.add(parent);
			} else if (parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment) touched.parents.add(parent);
			if (struct.content instanceof Y.ContentType) addTree(struct.content.type);
		}
	}
	Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
		if (struct instanceof Y.Item && struct.parent instanceof Y.XmlText) touched.texts.add(struct.parent);
	});
	return touched;
}

/** The node type a Yjs XML type stands for: the schema's top node for `body`; null for an unknown element. */
function nodeTypeOf(type: Y.XmlElement | Y.XmlFragment, body: Y.XmlFragment): NodeType | null {
	if (type === body) return schema.topNodeType;
	return type instanceof Y.XmlElement ? elementNodeType(type.nodeName) : null;
}

/** Is `type` inside `body` (and not deleted)? Other root types are not rendered and are not checked. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
function liveInBody(type: Y.AbstractType<any>, body: Y.XmlFragment): boolean {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type
	let t: Y.AbstractType<any> | null = type;
	while (t && t !== body) {
		const item: Y.Item | null = t._item;
		if (!item || item.deleted) return false;
		t = item.parent as Y.AbstractType<any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
	}
	return t === body;
}

/**
 * Conform what transaction `tr` brought into `body` to the editor schema (see the rule above), inside `tr`.
 * Call it in the transaction that applied the client's update, after applying it.
 */
export function conformTransaction(tr: Y.Transaction, body: Y.XmlFragment): ConformanceReport {
	const report: ConformanceReport = new Map();
	const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
	const touched = touchedBy(tr);
	for (const parent of touched.parents) {
		if (!liveInBody(parent, body)) continue;
		const type = nodeTypeOf(parent, body);
		if (!type) continue; // an unknown element: removed by its own parent's check if new, left alone if old
		let match = type.contentMatch;
		for (let item = parent._start; item !== null; item = item.right) {
			if (item.deleted || !item.countable) continue;
			const child = item.content instanceof Y.ContentType ? item.content.type : null;
			let childType: NodeType | null = null;
			if (child instanceof Y.XmlText) {
				if (child.length === 0) continue; // holds no text node
				childType = schema.nodes.text;
			} else if (child instanceof Y.XmlElement) childType = elementNodeType(child.nodeName);
			const next = childType ? match.matchType(childType) : null;
			if (next) match = next;
			else if (isNew(item)) {
				item.delete(tr);
				if (child instanceof Y.XmlElement) note(report, childType ? `${child.nodeName} not allowed in ${type.name}` : `element ${child.nodeName.slice(0, 40)}`);
				else note(report, child instanceof Y.XmlText ? `text not allowed in ${type.name}` : 'not an element or text');
			}
		}
	}
	for (const element of touched.attributed) {
		if (!liveInBody(element, body)) continue;
		const type = elementNodeType(element.nodeName);
		if (!type) continue;
		for (const [key, item] of element._map) {
			if (!item.deleted && isNew(item) && !isNodeAttribute(type, key)) {
				item.delete(tr);
				note(report, `attribute ${key.slice(0, 40)}`);
			}
		}
	}
	conformTexts([...touched.texts].filter((text) => liveInBody(text, body)), report);
	return report;
}

/** The node type of a text's parent element (null: the body, or an unknown element). */
function parentTypeOf(text: Y.XmlText): NodeType | null {
	return text.parent instanceof Y.XmlElement ? elementNodeType(text.parent.nodeName) : null;
}

/**
 * Conform the formats (marks) and content of `texts` (inside the caller's transaction, if any); see the rule
 * above. Returns what was changed, counted in runs of text (`unsafe link`, `unknown mark`, …) and in items
 * (`embed in a text`).
 */
export function conformTexts(texts: Iterable<Y.XmlText>, report: ConformanceReport = new Map()): ConformanceReport {
	for (const text of texts) {
		if (text._item?.deleted || !text.doc) continue;
		const parent = parentTypeOf(text);
		// Every keystroke passes here: a walk over the text's items finds the format items that do not conform
		// (in effect or not) and what is not a string; only a text that has a bad format is read as a delta.
		let badFormats = 0;
		const embeds: Y.Item[] = [];
		for (let item = text._start; item !== null; item = item.right) {
			if (item.deleted) continue;
			if (item.content instanceof Y.ContentFormat) {
				if (conformMark(parent, item.content.key, item.content.value)) badFormats++;
			} else if (!(item.content instanceof Y.ContentString)) embeds.push(item);
		}
		if (embeds.length) {
			text.doc.transact((tr) => embeds.forEach((item) => item.delete(tr)));
			note(report, 'embed in a text', embeds.length);
		}
		if (badFormats === 0) continue;
		let index = 0;
		const fixed = new Map<MarkProblem, number>();
		for (const run of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
			const length = typeof run.insert === 'string' ? run.insert.length : 1;
			for (const [key, value] of Object.entries(run.attributes ?? {})) {
				const fix = conformMark(parent, key, value);
				if (fix) {
					text.format(index, length, { [key]: fix.keep });
					fixed.set(fix.problem, (fixed.get(fix.problem) ?? 0) + 1);
				}
			}
			index += length;
		}
		// No format item may keep the bad value, not even one without effect: `format` re-inserts the old value
		// after the range (for what follows), and a later deletion could uncover it. Deleted in this
		// transaction, the items are garbage-collected before the update is encoded, so no peer receives it.
		const problems = new Map<MarkProblem, number>();
		text.doc.transact((tr) => {
			for (let item = text._start; item !== null; item = item.right) {
				if (item.deleted || !(item.content instanceof Y.ContentFormat)) continue;
				const fix = conformMark(parent, item.content.key, item.content.value);
				if (fix) {
					item.delete(tr);
					problems.set(fix.problem, (problems.get(fix.problem) ?? 0) + 1);
				}
			}
		});
		Y.cleanupYTextFormatting(text);
		// runs corrected; a text whose bad formats were all without effect counts its format items
		for (const [problem, n] of fixed.size ? fixed : problems) note(report, problem, n);
	}
	return report;
}

/**
 * Conform the formats of every text of a loaded piece (see conformTexts), in one transaction with origin
 * `server` (stored and relayed like an edit). Run when the server loads a piece, before any client gets it:
 * a piece stored before client updates were conformed may hold a mark the schema does not have, and the
 * browser editor (y-tiptap) deletes a whole text holding one. Elements are left as they are: every reader
 * skips the unknown ones (content/document.ts).
 */
export function conformStoredTexts(body: Y.XmlFragment): ConformanceReport {
	const texts: Y.XmlText[] = [];
	const visit = (type: Y.XmlFragment | Y.XmlElement) => {
		for (const child of type.toArray()) {
			if (child instanceof Y.XmlText) texts.push(child);
			else if (child instanceof Y.XmlElement) visit(child);
		}
	};
	visit(body);
	const report: ConformanceReport = new Map();
	if (body.doc) body.doc.transact(() => conformTexts(texts, report), 'server');
	return report;
}
