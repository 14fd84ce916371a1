import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import type { NodeType } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { editorSchema } from '../../editor/extensions';
import { normaliseParticipantsJSON } from '../../editor/participants';
import { normaliseEndnotesJSON } from '../../editor/endnote';
import { conformMark, elementNodeType, isNodeAttribute, markNameOfKey, schema } from './schema-rules';
import { logger } from '../log';
import { BODY_FRAGMENT } from '../../domain/collab';

/** The name of the Y.XmlFragment holding a piece's rich text (public contract; domain/collab.ts). */
export { BODY_FRAGMENT };

/** Build the Yjs state for a piece from editor JSON. Done once, on the server, when a piece is created. */
export function yjsStateFromJSON(json: JSONContent): Uint8Array {
	const doc = new Y.Doc();
	prosemirrorJSONToYXmlFragment(editorSchema, json, doc.getXmlFragment(BODY_FRAGMENT));
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** What was last logged as skipped, per piece: a piece read at every projection logs the same thing once. */
const lastSkipped = new Map<string, string>();

function logSkipped(pieceId: string | undefined, skipped: Record<string, number>): void {
	const what = JSON.stringify(skipped);
	if (pieceId !== undefined) {
		if (lastSkipped.get(pieceId) === what) return;
		if (lastSkipped.size >= 1000) lastSkipped.clear();
		lastSkipped.set(pieceId, what);
	}
	logger.warn({ pieceId, skipped }, 'skipped content the editor schema does not have');
}

/**
 * The editor JSON of a live Yjs document (participants and endnotes in their current, complete form: see
 * normaliseParticipantsJSON, normaliseEndnotesJSON). Only what the editor schema has is read: an element, attribute or mark it
 * does not have, a node where its parent does not allow it, anything that is no element or text (a piece
 * stored before client updates were conformed to the schema may hold them) is skipped, and what was
 * skipped is logged once, with `pieceId`. So rendering, exports and projections never fail on it.
 */
export function jsonFromYDoc(doc: Y.Doc, pieceId?: string, firstBlocks = Infinity): JSONContent {
	const skipped = new Map<string, number>();
	const skip = (what: string) => skipped.set(what, (skipped.get(what) ?? 0) + 1);
	const json: JSONContent = { type: 'doc', content: childrenJSON(doc.getXmlFragment(BODY_FRAGMENT), schema.topNodeType, skip, firstBlocks) };
	if (skipped.size) logSkipped(pieceId, Object.fromEntries(skipped));
	return normaliseEndnotesJSON(normaliseParticipantsJSON(json));
}

/**
 * The editor JSON of a piece's Yjs state (participants normalised, unknown content skipped: see jsonFromYDoc);
 * with `firstBlocks`, of its first top-level blocks only (the page's preview of a long piece).
 */
export function jsonFromYjsState(state: Uint8Array | null, pieceId?: string, firstBlocks = Infinity): JSONContent {
	if (!state) return { type: 'doc', content: [] };
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const json = jsonFromYDoc(doc, pieceId, firstBlocks);
	doc.destroy();
	return json;
}

type Skip = (what: string) => void;

/**
 * The JSON of the children of `parent` (of node type `type`), as y-prosemirror reads them, keeping only the
 * children the type's content expression allows, in order (one that does not fit where it stands is skipped).
 */
function childrenJSON(parent: Y.XmlElement | Y.XmlFragment, type: NodeType, skip: Skip, limit = Infinity): JSONContent[] {
	const out: JSONContent[] = [];
	let match = type.contentMatch;
	for (const child of parent.toArray() as unknown[]) {
		if (out.length >= limit) break;
		if (child instanceof Y.XmlText) {
			const runs = textJSON(child, type, skip);
			if (runs.length === 0) continue;
			const next = match.matchType(schema.nodes.text);
			if (!next) {
				skip(`text in ${type.name}`);
				continue;
			}
			out.push(...runs);
			match = next;
		} else if (child instanceof Y.XmlElement) {
			const childType = elementNodeType(child.nodeName);
			const next = childType && match.matchType(childType);
			if (!childType || !next) {
				skip(childType ? `${childType.name} in ${type.name}` : `element ${child.nodeName.slice(0, 40)}`);
				continue;
			}
			out.push(elementJSON(child, childType, skip));
			match = next;
		} else skip('not an element or text');
	}
	return out;
}

function elementJSON(element: Y.XmlElement, type: NodeType, skip: Skip): JSONContent {
	const json: JSONContent = { type: type.name };
	const attrs: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(element.getAttributes() as Record<string, unknown>)) {
		if (isNodeAttribute(type, key)) attrs[key] = value;
		else skip(`attribute ${key.slice(0, 40)} of ${type.name}`);
	}
	if (Object.keys(attrs).length) json.attrs = attrs;
	const content = childrenJSON(element, type, skip);
	if (content.length) json.content = content;
	return json;
}

/** The text nodes of a Y.XmlText: its string runs with the marks the schema has (and `parent` allows). */
function textJSON(text: Y.XmlText, parent: NodeType, skip: Skip): JSONContent[] {
	const out: JSONContent[] = [];
	for (const run of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
		if (typeof run.insert !== 'string') {
			skip('embed in a text');
			continue;
		}
		if (run.insert === '') continue;
		const node: JSONContent = { type: 'text', text: run.insert };
		if (run.attributes) {
			const marks: NonNullable<JSONContent['marks']> = [];
			for (const [key, value] of Object.entries(run.attributes)) {
				const fix = conformMark(parent, key, value);
				if (fix) skip(fix.problem === 'unsafe link' ? 'unsafe link' : `${fix.problem} ${markNameOfKey(key).slice(0, 40)}`);
				const attrs = fix ? fix.keep : (value as Record<string, unknown>);
				if (attrs) marks.push({ type: markNameOfKey(key), attrs });
			}
			if (marks.length) node.marks = marks;
		}
		out.push(node);
	}
	return out;
}
