// Changes to contributor profiles (the people whose names and bios pieces print).
import { eq } from 'drizzle-orm';
import type * as z from 'zod';
import type { Database } from '../db/client';
import { contributors } from '../db/schema';
import type { ContributorBody } from '../api/contract';
import { bioFromText, bioToText, contributorColumns } from '../queries/contributors';

/** Change a profile's name, affiliation and/or bio (plain text); the profile as now, in the API's shape. */
export async function updateContributor(db: Database, id: string, change: z.infer<typeof ContributorBody>) {
	const [row] = await db
		.update(contributors)
		.set({
			...(change.name !== undefined ? { name: change.name } : {}),
			...(change.affiliation !== undefined ? { affiliation: change.affiliation } : {}),
			...(change.bio !== undefined ? { bio: bioFromText(change.bio) } : {})
		})
		.where(eq(contributors.id, id))
		.returning(contributorColumns);
	return { id: row.id, userId: row.userId, name: row.name, affiliation: row.affiliation, bio: bioToText(row.bio) };
}
