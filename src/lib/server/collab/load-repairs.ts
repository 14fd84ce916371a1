import crypto from 'node:crypto';
import * as Y from 'yjs';
import type { LiveDocument } from './documents';
import { BODY_FRAGMENT } from '../content/document';
import { upgradeLegacyParticipants } from '../../editor/interview';
import { hasLegacyEndnotes, upgradeLegacyEndnotes } from '../../editor/endnote';
import { conformStoredTexts } from './schema-conformance';

/**
 * What the server changes in a piece when it loads it, before any client gets it: stored and relayed like
 * any edit. Each repair that fails is logged and skipped: every reader still understands the stored form.
 */
export function repairOnLoad(live: LiveDocument, log: (msg: string, extra?: Record<string, unknown>) => void): void {
	const pieceId = live.pieceId;
	const body = live.doc.getXmlFragment(BODY_FRAGMENT);
	// Schema 2 documents: participants from the one `list` attribute to `participant` nodes (see interview/participants-node.ts).
	try {
		if (upgradeLegacyParticipants(body)) log('legacy participants converted', { pieceId });
	} catch (err) {
		log('legacy participants could not be converted', { pieceId, error: String(err) });
	}
	// Schema 3 documents: an endnote's text from its `note` attribute to the node's text (see endnote.ts).
	try {
		if (upgradeLegacyEndnotesOnLoad(live.doc)) log('legacy endnotes converted', { pieceId });
	} catch (err) {
		log('legacy endnotes could not be converted', { pieceId, error: String(err) });
	}
	// Marks stored before client updates were conformed to the editor schema: the browser editor (y-tiptap)
	// would delete a whole text holding a mark it does not know (see conformStoredTexts).
	try {
		const conformed = conformStoredTexts(body);
		if (conformed.size) log('stored formats conformed to the editor schema', { pieceId, removed: Object.fromEntries(conformed) });
	} catch (err) {
		log('stored formats could not be conformed', { pieceId, error: String(err) });
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
