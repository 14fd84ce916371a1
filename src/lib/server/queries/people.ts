import type { Database } from '../db/client';
import type { Actor } from '../auth/sessions';
import { listPeople } from '../commands/accounts';
import { canSeeEmail } from '../policies';

/**
 * Everyone with an account, as the actor may see them: the editor with every e-mail address, a
 * contributor by name (id, name, role, colour) with only their own address.
 */
export async function listPeopleFor(db: Database, actor: Actor) {
	const people = await listPeople(db);
	return people.map(({ email, ...person }): typeof person & { email?: string } => (canSeeEmail(actor, person) ? { ...person, email } : person));
}
