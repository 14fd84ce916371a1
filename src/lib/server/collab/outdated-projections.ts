import { and, isNull, lt, ne } from 'drizzle-orm';
import type { Database } from '../db/client';
import { pieces, qaBlocks } from '../db/schema';
import { writeProjections } from '../content/projections';
import { jsonFromYjsState } from '../content/document';
import { METRICS_VERSION } from '../content/metrics';
import type { Logger } from '../log';

/**
 * Rebuild the projections of pieces whose rows an older rule wrote: Q&A rows that lack the speaker's
 * name (written before migration 0001 added the column; a row of an unknown speaker, '?', has no name to
 * find and is no reason), and metrics (word count, body text, headings) of an older METRICS_VERSION
 * (every piece before migration 0008). Once, at start, in the background. `updated_at` stays: a new rule
 * is no edit of the text.
 */
export async function rebuildOutdatedProjections(
	db: Database,
	readState: (pieceId: string) => Promise<Uint8Array | null>,
	log: Logger
): Promise<number> {
	const [speakers, metrics] = await Promise.all([
		db.selectDistinct({ pieceId: qaBlocks.pieceId }).from(qaBlocks).where(and(isNull(qaBlocks.speakerName), ne(qaBlocks.speaker, '?'))),
		db.select({ pieceId: pieces.id }).from(pieces).where(lt(pieces.metricsVersion, METRICS_VERSION))
	]);
	const stale = [...new Set([...speakers, ...metrics].map((r) => r.pieceId))];
	for (const pieceId of stale) {
		const state = await readState(pieceId);
		if (state) await writeProjections(db, pieceId, jsonFromYjsState(state, pieceId), { touch: false });
	}
	if (stale.length) log.info({ pieces: stale.length, speakerNames: speakers.length, metrics: metrics.length }, 'projections rebuilt');
	return stale.length;
}
