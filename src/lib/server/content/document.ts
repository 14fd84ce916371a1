import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { editorSchema } from '../../editor/extensions';
import { normaliseParticipantsJSON } from '../../editor/participants';
import { normaliseEndnotesJSON } from '../../editor/endnote';

/** The name of the Y.XmlFragment holding a piece's rich text (public contract). */
export const BODY_FRAGMENT = 'body';

/** Build the Yjs state for a piece from editor JSON. Done once, on the server, when a piece is created. */
export function yjsStateFromJSON(json: JSONContent): Uint8Array {
	const doc = new Y.Doc();
	prosemirrorJSONToYXmlFragment(editorSchema, json, doc.getXmlFragment(BODY_FRAGMENT));
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** The editor JSON of a live Yjs document (participants and endnotes in their current, complete form: see normaliseParticipantsJSON, normaliseEndnotesJSON). */
export function jsonFromYDoc(doc: Y.Doc): JSONContent {
	return normaliseEndnotesJSON(normaliseParticipantsJSON(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(BODY_FRAGMENT)) as JSONContent));
}

/** The editor JSON of a piece's Yjs state (participants normalised, as jsonFromYDoc). */
export function jsonFromYjsState(state: Uint8Array | null): JSONContent {
	if (!state) return { type: 'doc', content: [] };
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const json = jsonFromYDoc(doc);
	doc.destroy();
	return json;
}
