// Assignments written straight into a test database (the assignments API is not what these tests prove). On
// PGlite only one process may hold the folder: call it while no Galley runs on the database.
import crypto from 'node:crypto';
import { openDatabase } from '../../src/lib/server/db/client';
import { assignments } from '../../src/lib/server/db/schema';
import type { GalleyTestDatabase } from './galley-server';

export interface AssignmentRow {
	pieceId: string;
	userId: string;
	role: 'author' | 'reviewer' | 'viewer';
	/** A heading id of the piece: the section; absent: the whole piece. */
	sectionId?: string | null;
}

export async function insertAssignments(database: GalleyTestDatabase, rows: AssignmentRow[]): Promise<void> {
	const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
	try {
		await handle.db.insert(assignments).values(rows.map((r) => ({ id: crypto.randomUUID(), pieceId: r.pieceId, userId: r.userId, role: r.role, sectionId: r.sectionId ?? null })));
	} finally {
		await handle.close();
	}
}
