// Pieces stored in editor schema 3, for the tests of the conversion to schema 4: an endnote kept its text
// as the `note` attribute of its element, with no children.
import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

/** One paragraph of text runs (strings) and schema-3 endnotes (`{ id, note }`), as a Yjs state. */
export function legacyEndnoteState(parts: (string | { id: string; note: string })[]): Uint8Array {
	const doc = new Y.Doc();
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(
		0,
		parts.map((part) => {
			if (typeof part === 'string') return new Y.XmlText(part);
			const el = new Y.XmlElement('endnote');
			el.setAttribute('id', part.id);
			el.setAttribute('note', part.note);
			return el;
		})
	);
	doc.getXmlFragment(BODY_FRAGMENT).insert(0, [paragraph]);
	return Y.encodeStateAsUpdate(doc);
}
