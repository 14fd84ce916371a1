import crypto from 'node:crypto';
import * as Y from 'yjs';
import type { LiveDocument } from './documents';
import { BODY_FRAGMENT } from '../content/document';
import { hasLegacyEndnotes, upgradeLegacyEndnotes } from '../../editor/endnote';
import { conformStoredTexts } from './schema-conformance';
import type { Logger } from '../log';

/**
 * The version of the repairs below: a stored state that a compaction found needing none of them under this
 * version is marked so (document_states.clean_as_of) and may reach a client before the server decodes it.
 * Raise it when a repair is added or changed.
 */
export const LOAD_REPAIRS_VERSION = 1;

/**
 * Would loading this document repair anything? Checked on a compaction's scratch document (it may change
 * it: call it after encoding what is stored).
 */
export function needsLoadRepairs(doc: Y.Doc): boolean {
	const body = doc.getXmlFragment(BODY_FRAGMENT);
	if (hasLegacyEndnotes(body) || headingsWithoutId(body).length > 0) return true;
	return conformStoredTexts(body).size > 0;
}

/**
 * What the server changes in a piece when it loads it, before any client gets it: stored and relayed like
 * any edit. Each repair that fails is logged and skipped: every reader still understands the stored form.
 */
/** `log`: the document's logger (a child naming the piece). */
export function repairOnLoad(live: LiveDocument, log: Logger): void {
	const body = live.doc.getXmlFragment(BODY_FRAGMENT);
	// Schema 3 documents: an endnote's text from its `note` attribute to the node's text (see endnote.ts).
	try {
		if (upgradeLegacyEndnotesOnLoad(live.doc)) log.info('legacy endnotes converted');
	} catch (err) {
		log.warn({ err }, 'legacy endnotes could not be converted');
	}
	// Headings stored without an id (before headings had one, or written by a client without one): a section
	// assignment names its heading's id, and the server must see it to enforce it.
	try {
		const given = giveHeadingsIdsOnLoad(live.doc);
		if (given) log.info({ headings: given }, 'heading ids given');
	} catch (err) {
		log.warn({ err }, 'heading ids could not be given');
	}
	// Marks stored before client updates were conformed to the editor schema: the browser editor (y-tiptap)
	// would delete a whole text holding a mark it does not know (see conformStoredTexts).
	try {
		const conformed = conformStoredTexts(body);
		if (conformed.size) log.info({ removed: Object.fromEntries(conformed) }, 'stored formats conformed to the editor schema');
	} catch (err) {
		log.warn({ err }, 'stored formats could not be conformed');
	}
}

/**
 * Convert a document's schema-3 endnotes (see upgradeLegacyEndnotes) so that two processes converting the
 * same stored state at once write the same Yjs items, which merge into one: the conversion is made on a copy
 * whose client id is derived from the state it starts from, so equal states give equal items (same ids, same
 * content) and unequal states different ids. Converting on the live document, each process would insert its
 * own copy of every note's text, and with REDIS_URL both copies would reach everyone (the text twice).
 */
export function upgradeLegacyEndnotesOnLoad(doc: Y.Doc): boolean {
	if (!hasLegacyEndnotes(doc.getXmlFragment(BODY_FRAGMENT))) return false;
	const state = Y.encodeStateAsUpdate(doc);
	const copy = new Y.Doc();
	copy.clientID = crypto.createHash('sha256').update(state).digest().readUInt32LE(0);
	try {
		Y.applyUpdate(copy, state);
		if (!upgradeLegacyEndnotes(copy.getXmlFragment(BODY_FRAGMENT))) return false;
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(doc)), 'server');
		return true;
	} finally {
		copy.destroy();
	}
}

/**
 * Give every top-level heading without an id one, so that two processes doing it to the same stored state
 * at once write the same Yjs items (one client id and the same ids, derived from the state, as for the
 * endnotes above): the ids merge instead of one process's winning after the other's was seen. Returns how
 * many headings got an id.
 */
export function giveHeadingsIdsOnLoad(doc: Y.Doc): number {
	if (headingsWithoutId(doc.getXmlFragment(BODY_FRAGMENT)).length === 0) return 0;
	const state = Y.encodeStateAsUpdate(doc);
	const digest = crypto.createHash('sha256').update(state).digest();
	const copy = new Y.Doc();
	copy.clientID = digest.readUInt32LE(4);
	try {
		Y.applyUpdate(copy, state);
		const missing = headingsWithoutId(copy.getXmlFragment(BODY_FRAGMENT));
		copy.transact(() => missing.forEach((heading, i) => heading.setAttribute('id', derivedId(digest, i))));
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(doc)), 'server');
		return missing.length;
	} finally {
		copy.destroy();
	}
}

function headingsWithoutId(body: Y.XmlFragment): Y.XmlElement[] {
	return body.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'heading' && !node.getAttribute('id'));
}

/** A UUID-shaped id (as UniqueID makes) derived from the state's digest and the heading's place among those without one. */
function derivedId(digest: Buffer, i: number): string {
	const hex = crypto.createHash('sha256').update(digest).update(String(i)).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
