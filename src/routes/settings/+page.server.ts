import { eq } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { contributors, users } from '$lib/server/db/schema';
import { listApiTokens } from '$lib/server/queries/tokens';
import { bioToText } from '$lib/server/queries/contributors';
import { field, refuse, submitToApi } from '$lib/server/api/form-action';
import { PATCH as updateMe } from '../api/me/+server';
import { POST as changePassword } from '../api/me/password/+server';
import { POST as createToken } from '../api/tokens/+server';
import { DELETE as revokeToken } from '../api/tokens/[id]/+server';
import { PATCH as updateContributor } from '../api/contributors/[id]/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const tokens = await listApiTokens(db, actor);
	const [profile] = await db.select().from(contributors).where(eq(contributors.userId, actor.id)).limit(1);
	const [me] = await db.select({ emailNotifications: users.emailNotifications }).from(users).where(eq(users.id, actor.id));
	return { tokens, emailNotifications: me?.emailNotifications ?? true, profile: profile ? { id: profile.id, name: profile.name, affiliation: profile.affiliation, bio: bioToText(profile.bio) } : null };
};

export const actions: Actions = {
	/** POST /api/me/password; the repeat is the form's own check. */
	password: async (event) => {
		const form = await event.request.formData();
		const newPassword = field(form, 'newPassword');
		if (newPassword !== field(form, 'repeatPassword')) return refuse(form, 400, 'repeatPassword', 'The two new passwords differ');
		const answer = await submitToApi<{ sessionsEnded: number }>(event, changePassword, { currentPassword: field(form, 'currentPassword'), newPassword }, { form });
		if (!('ok' in answer)) return answer;
		return { passwordChanged: answer.data };
	},
	/** PATCH /api/contributors/{id}: the person's own profile. */
	profile: async (event) => {
		const form = await event.request.formData();
		const id = field(form, 'contributorId');
		const answer = await submitToApi(event, updateContributor, { affiliation: field(form, 'affiliation'), bio: field(form, 'bio') }, { method: 'PATCH', params: { id }, form });
		if (!('ok' in answer)) return answer;
		return { profileSaved: true };
	},
	/** PATCH /api/me: e-mail notifications on or off. */
	emailNotifications: async (event) => {
		const form = await event.request.formData();
		const wanted = form.has('emailNotifications');
		const answer = await submitToApi(event, updateMe, { emailNotifications: wanted }, { method: 'PATCH', form });
		if (!('ok' in answer)) return answer;
		return { emailNotificationsSaved: wanted };
	},
	/** POST /api/tokens: the new token is shown once, in the answer. */
	createToken: async (event) => {
		const form = await event.request.formData();
		const expiresIn = field(form, 'expiresInDays');
		const name = field(form, 'name');
		const answer = await submitToApi<{ name: string; token: string }>(event, createToken, expiresIn === '' ? { name } : { name, expiresInDays: Number(expiresIn) }, { form });
		if (!('ok' in answer)) return answer;
		return { token: { name: answer.data.name, token: answer.data.token } };
	},
	/** DELETE /api/tokens/{id}. */
	revokeToken: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, revokeToken, undefined, { method: 'DELETE', params: { id: field(form, 'tokenId') }, form });
		if (!('ok' in answer)) return answer;
	}
};
