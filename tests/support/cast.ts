// One piece with a person in every role, for tests that walk a table of roles (the policy table, the review
// moves): the editor, the piece's owner (the contributor who created it), a whole-piece author, reviewer and
// viewer, a section author (of a heading the editor adds), an unassigned contributor, and any extra people
// asked for (assigned nothing). Each signs in and works with an API token (Bearer, no Origin).
import * as Y from 'yjs';
import { expect, vi } from 'vitest';
import { type RunningGalley } from './galley-server';
import { setUpEditor, signedInToken, tokenClient, type TestClient } from './api-client';
import { connectCollab } from './collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

export type CastRole = 'editor' | 'owner' | 'author' | 'section author' | 'reviewer' | 'viewer' | 'unassigned';
export const CAST_ROLES: CastRole[] = ['editor', 'owner', 'author', 'section author', 'reviewer', 'viewer', 'unassigned'];

export interface CastOptions<Extra extends string> {
	/** Makes the e-mail addresses unique on a shared database. */
	run: string;
	/** The name of the API tokens made. */
	tokenName: string;
	kind: 'brief' | 'article' | 'interview';
	title: string;
	/** The heading the section author is assigned: its id and text. */
	section: { id: string; text: string };
	/** More people, with their account role, assigned nothing. */
	extra?: Record<Extra, 'editor' | 'contributor'>;
	/** A person's name from their role (default: "The <role>"). */
	nameOf?: (role: string) => string;
}

export interface Cast<Extra extends string> {
	clients: Record<CastRole | Extra, TestClient>;
	userIds: Record<CastRole | Extra, string>;
	names: Record<CastRole | Extra, string>;
	pieceId: string;
}

/** Set up the first editor on `galley`, the people, the piece (created by its owner) and the assignments. */
export async function castAPiece<Extra extends string = never>(galley: RunningGalley, options: CastOptions<Extra>): Promise<Cast<Extra>> {
	const nameOf = options.nameOf ?? ((role: string) => `The ${role}`);
	const clients = {} as Cast<Extra>['clients'];
	const userIds = {} as Cast<Extra>['userIds'];
	const names = {} as Cast<Extra>['names'];
	clients.editor = await tokenClient(await setUpEditor(galley.url), options.tokenName);
	const me = (await clients.editor.get('/api/me')).json.user;
	userIds.editor = me.id;
	names.editor = me.name;
	const people: [CastRole | Extra, 'editor' | 'contributor'][] = [
		...CAST_ROLES.filter((r) => r !== 'editor').map((r) => [r, 'contributor'] as [CastRole, 'contributor']),
		...(Object.entries(options.extra ?? {}) as [Extra, 'editor' | 'contributor'][])
	];
	for (const [role, accountRole] of people) {
		const slug = role.replace(' ', '-');
		const who = { email: `${slug}-${options.run}@example.org`, name: nameOf(role), password: `${slug} password 123`, role: accountRole };
		const created = await clients.editor.post('/api/people', who);
		expect(created.status).toBe(201);
		userIds[role] = created.json.user.id;
		names[role] = who.name;
		clients[role] = await signedInToken(galley.url, who, options.tokenName);
	}
	const created = await clients.owner.post('/api/pieces', { kind: options.kind, title: options.title });
	expect(created.status).toBe(201);
	const pieceId = created.json.piece.id as string;
	for (const role of ['author', 'reviewer', 'viewer'] as const) {
		expect((await clients.editor.post(`/api/pieces/${pieceId}/assignments`, { userId: userIds[role], role })).status).toBe(201);
	}
	// the section author's heading, written as a stock y-websocket client would
	const writer = connectCollab(galley.wsUrl, pieceId, { token: clients.editor.token! }, { presence: false });
	await writer.synced;
	const heading = new Y.XmlElement('heading');
	heading.setAttribute('level', 2 as unknown as string);
	heading.setAttribute('id', options.section.id);
	heading.insert(0, [new Y.XmlText(options.section.text)]);
	writer.doc.getXmlFragment(BODY_FRAGMENT).push([heading]);
	await vi.waitFor(() => expect(writer.ownEditsAcked()).toBe(true), { timeout: 10_000 });
	writer.destroy();
	const res = await clients.editor.post(`/api/pieces/${pieceId}/assignments`, { userId: userIds['section author'], role: 'author', sectionId: options.section.id });
	expect(res.status).toBe(201);
	return { clients, userIds, names, pieceId };
}
