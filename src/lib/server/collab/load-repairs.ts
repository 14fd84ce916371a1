import type { LiveDocument } from './documents';
import { BODY_FRAGMENT } from '../content/document';
import { upgradeLegacyParticipants } from '../../editor/interview';
import { upgradeLegacyEndnotes } from '../../editor/endnote';
import { conformStoredTexts } from './schema-conformance';

/**
 * What the server changes in a piece when it loads it, before any client gets it: stored and relayed like
 * any edit. Each repair that fails is logged and skipped: every reader still understands the stored form.
 */
export function repairOnLoad(live: LiveDocument, log: (msg: string, extra?: Record<string, unknown>) => void): void {
	const pieceId = live.pieceId;
	const body = live.doc.getXmlFragment(BODY_FRAGMENT);
	// Schema 2 documents: participants from the one `list` attribute to `participant` nodes (see interview.ts).
	try {
		if (upgradeLegacyParticipants(body)) log('legacy participants converted', { pieceId });
	} catch (err) {
		log('legacy participants could not be converted', { pieceId, error: String(err) });
	}
	// Schema 3 documents: an endnote's text from its `note` attribute to the node's text (see endnote.ts).
	try {
		if (upgradeLegacyEndnotes(body)) log('legacy endnotes converted', { pieceId });
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
