import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, users } from '../db/schema';

/** One person assigned to a section of a piece (the editor shows them beside the section's heading). */
export interface SectionAssignment {
	id: string;
	/** The heading's id: the section. */
	sectionId: string;
	userId: string;
	name: string;
	role: 'author' | 'reviewer' | 'viewer';
}

/** The piece's section assignments (whole-piece ones aside), oldest first. */
export async function sectionAssignmentsOf(db: Database, pieceId: string): Promise<SectionAssignment[]> {
	const rows = await db
		.select({ id: assignments.id, sectionId: assignments.sectionId, userId: assignments.userId, name: users.name, role: assignments.role })
		.from(assignments)
		.innerJoin(users, eq(users.id, assignments.userId))
		.where(and(eq(assignments.pieceId, pieceId), isNotNull(assignments.sectionId)))
		.orderBy(asc(assignments.createdAt), asc(assignments.id));
	return rows.map((r) => ({ ...r, sectionId: r.sectionId! }));
}
