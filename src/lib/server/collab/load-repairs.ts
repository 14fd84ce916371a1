import type { LiveDocument } from './documents';
import { BODY_FRAGMENT } from '../content/document';
import { upgradeLegacyParticipants } from '../../editor/interview';

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
}
