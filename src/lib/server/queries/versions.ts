// Reading a piece's versions (the snapshots of commands/versions.ts).
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { pieceVersions, users } from '../db/schema';
import type { PieceVersion } from '../../domain/versions';

const versionColumns = {
	id: pieceVersions.id,
	kind: pieceVersions.kind,
	label: pieceVersions.label,
	createdAt: pieceVersions.createdAt,
	createdById: pieceVersions.createdBy,
	createdByName: users.name,
	reviewEventId: pieceVersions.reviewEventId,
	restoredFrom: pieceVersions.restoredFrom
};

type VersionRow = {
	id: string;
	kind: PieceVersion['kind'];
	label: string;
	createdAt: Date;
	createdById: string | null;
	createdByName: string | null;
	reviewEventId: number | null;
	restoredFrom: string | null;
};

export function versionFromRow(row: VersionRow): PieceVersion {
	return {
		id: row.id,
		kind: row.kind,
		label: row.label,
		createdAt: row.createdAt.toISOString(),
		createdBy: row.createdById ? { id: row.createdById, name: row.createdByName ?? '' } : null,
		reviewEventId: row.reviewEventId,
		restoredFrom: row.restoredFrom
	};
}

/** A piece's versions, newest first (without their snapshots). */
export async function listVersions(db: Database, pieceId: string): Promise<PieceVersion[]> {
	const rows = await db
		.select(versionColumns)
		.from(pieceVersions)
		.leftJoin(users, eq(users.id, pieceVersions.createdBy))
		.where(eq(pieceVersions.pieceId, pieceId))
		.orderBy(desc(pieceVersions.createdAt), desc(pieceVersions.id));
	return rows.map(versionFromRow);
}

/** One version of the piece with its snapshot; null when there is none by that id on this piece. */
export async function getVersion(db: Database, pieceId: string, versionId: string): Promise<{ version: PieceVersion; state: Uint8Array } | null> {
	const [row] = await db
		.select({ ...versionColumns, state: pieceVersions.state })
		.from(pieceVersions)
		.leftJoin(users, eq(users.id, pieceVersions.createdBy))
		.where(and(eq(pieceVersions.pieceId, pieceId), eq(pieceVersions.id, versionId)));
	if (!row) return null;
	return { version: versionFromRow(row), state: new Uint8Array(row.state) };
}
