import { eq, sql } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { pieces } from '../db/schema';
import { newId } from '../auth/tokens';
import type { PieceKind, ReviewState } from '../../domain/pieces';
import { pieceTemplate } from '../../domain/templates';
import { yjsStateFromJSON } from '../content/document';
import { DocumentStore } from '../collab/persistence';
import type { JSONContent } from '@tiptap/core';

/**
 * Create a piece and seed its Yjs document once, here on the server, from the kind's template (or given
 * content). Clients never seed: that would duplicate content.
 */
export async function createPiece(
	db: Database,
	input: { kind: PieceKind; title: string; createdBy: string; content?: JSONContent; issueId?: string | null; sectionId?: string | null }
) {
	const id = newId();
	const state = yjsStateFromJSON(input.content ?? pieceTemplate(input.kind));
	await db.transaction(async (tx) => {
		await tx.insert(pieces).values({
			id,
			kind: input.kind,
			title: input.title,
			createdBy: input.createdBy,
			issueId: input.issueId ?? null,
			sectionId: input.sectionId ?? null
		});
		await new DocumentStore(tx as unknown as Database).seed(id, state);
	});
	await syncAfterTransaction(db);
	return id;
}

export async function updatePieceDetails(
	db: Database,
	pieceId: string,
	patch: { title?: string; kind?: PieceKind; reviewState?: ReviewState }
) {
	await db
		.update(pieces)
		.set({ ...patch, updatedAt: sql`now()` })
		.where(eq(pieces.id, pieceId));
}
