// The OpenAPI paths of accounts and people (docs/api.md): setup, signing in, the caller and their tokens, the
// editor's people admin, invites and password resets; spread into openapi.ts's paths.
import * as z from 'zod';
import { err, ok, jsonBody } from './openapi-parts';
import { ROLES } from '../../domain/pieces';
import { AcceptInviteBody, ApiTokenInfo, ChangePasswordBody, ChangeRoleBody, InviteBody, LoginBody, ResetPasswordBody, SetupBody, TokenBody, UpdateMeBody } from './contract';
import { notificationPaths } from './openapi-notifications';

const User = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), color: z.string() }).meta({ id: 'User' });
const Me = User.extend({ emailNotifications: z.boolean().meta({ description: 'Notifications are also e-mailed (when the server sends e-mail)' }) }).meta({ id: 'Me' });
const Person = z
	.object({
		id: z.string(),
		name: z.string(),
		role: z.enum(ROLES),
		color: z.string(),
		createdAt: z.string(),
		email: z.string().optional().meta({ description: 'Only for the editor (everyone’s) and for the caller’s own entry: contributors see others by name' })
	})
	.meta({ id: 'Person' });
const PeopleAuditEvent = z
	.object({
		id: z.number().int(),
		at: z.string(),
		action: z.enum(['invited', 'invite_replaced', 'invite_revoked', 'joined', 'account_created', 'role_changed', 'password_changed', 'reset_link_issued', 'reset_link_used', 'removed']),
		actor: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'Who did it' }),
		subject: z.object({ userId: z.string().nullable(), email: z.string(), name: z.string() }).meta({ description: 'To whom (userId null for an invite not accepted)' }),
		detail: z.record(z.string(), z.unknown()).nullable().meta({ description: 'e.g. `{ "from": "editor", "to": "contributor" }` for a role change' })
	})
	.meta({ id: 'PeopleAuditEvent' });

export const peoplePaths = {
	'/api/setup': {
		get: { security: [], responses: { '200': ok('Whether the first account exists', z.object({ needed: z.boolean() })) } },
		post: { security: [], requestBody: jsonBody(SetupBody), responses: { '201': ok('First account (the editor) created and signed in', z.object({ user: User })), '400': err('Invalid body'), '409': err('Already set up') } }
	},
	'/api/auth/login': { post: { security: [], requestBody: jsonBody(LoginBody), responses: { '200': ok('Signed in; session cookie set', z.object({ user: User })), '400': err('Invalid body'), '401': err('Wrong e-mail or password'), '429': err('Too many failed attempts from this address, or the account is slowed after many failures (Retry-After says how long)') } } },
	'/api/auth/logout': { post: { responses: { '200': ok('Signed out', z.object({ ok: z.literal(true) })) } } },
	'/api/me': {
		get: { responses: { '200': ok('The caller, with their settings', z.object({ user: Me })), '401': err('Not signed in') } },
		patch: { requestBody: jsonBody(UpdateMeBody), responses: { '200': ok('Changed; the caller as now', z.object({ user: Me })), '400': err('Invalid body'), '401': err('Not signed in') } }
	},
	...notificationPaths,
	'/api/me/password': {
		post: {
			requestBody: jsonBody(ChangePasswordBody),
			responses: {
				'200': ok('Changed. Every other session of the caller ended (their live connections closed with 4003); this one stays. API tokens stay', z.object({ ok: z.literal(true), sessionsEnded: z.number().int() })),
				'400': err('Invalid body (the new password: 10 to 200 characters)'),
				'401': err('Not signed in'),
				'403': err('The current password is wrong (field `currentPassword`)')
			}
		}
	},
	'/api/tokens': {
		get: { responses: { '200': ok('The caller’s API tokens, expired ones included (never the secret)', z.object({ tokens: z.array(ApiTokenInfo) })) } },
		post: {
			requestBody: jsonBody(TokenBody),
			responses: {
				'201': ok('Token created; `token` is shown only this once', z.object({ id: z.string(), name: z.string(), token: z.string(), createdAt: z.string(), expiresAt: z.string().nullable() })),
				'400': err('Invalid body (an expiry in the past, or both expiresAt and expiresInDays)'),
				'401': err('Not signed in')
			}
		}
	},
	'/api/tokens/{id}': { delete: { requestParams: { path: z.object({ id: z.string() }) }, responses: { '200': ok('Revoked', z.object({ ok: z.literal(true) })), '404': err('No such token of the caller’s (another’s token answers the same)') } } },
	'/api/people': {
		get: { responses: { '200': ok('Everyone with an account that was not removed (e-mail addresses for the editor; a contributor sees only their own), and open invites (editor only)', z.object({ people: z.array(Person), invites: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), expiresAt: z.string(), createdAt: z.string() })) })) } },
		post: {
			requestBody: jsonBody(InviteBody),
			responses: {
				'201': ok('Invited: an invite link (it replaces, and revokes, an open invite for the same e-mail), or the account when a password was given (it closes open invites for the e-mail)', z.object({ inviteUrl: z.string().optional(), user: User.optional() })),
				'400': err('Invalid body'),
				'403': err('Only the editor invites'),
				'409': err('E-mail already has an account (also the losers of concurrent requests creating one account)')
			}
		}
	},
	'/api/people/{id}': {
		patch: {
			requestParams: { path: z.object({ id: z.string().meta({ description: 'User id' }) }) },
			requestBody: jsonBody(ChangeRoleBody),
			responses: {
				'200': ok('Role changed; the person’s live connections close with 4001 and reconnect with the new rights', z.object({ user: User })),
				'400': err('Invalid body'),
				'403': err('Only the editor changes roles'),
				'404': err('No such person (or removed)'),
				'409': err('It would leave no editor (the last editor cannot step down)')
			}
		},
		delete: {
			requestParams: { path: z.object({ id: z.string().meta({ description: 'User id' }) }) },
			responses: {
				'200': ok('Removed: the account is disabled and cannot sign in; its sessions end, its API tokens and reset links are revoked, its live connections close with 4003 at once. Its pieces and contributor profile stay; inviting the address again and joining restores the account', z.object({ ok: z.literal(true) })),
				'403': err('Only the editor removes people, and not themselves'),
				'404': err('No such person (or removed already)'),
				'409': err('It would leave no editor')
			}
		}
	},
	'/api/people/{id}/reset-link': {
		post: {
			requestParams: { path: z.object({ id: z.string().meta({ description: 'User id' }) }) },
			responses: {
				'201': ok('A one-time link (valid 24 h) where the person sets a new password; shown only now. It replaces their open link', z.object({ url: z.string(), expiresAt: z.string() })),
				'403': err('Only the editor issues reset links'),
				'404': err('No such person (or removed)')
			}
		}
	},
	'/api/people/invites/{id}': {
		delete: {
			requestParams: { path: z.object({ id: z.string().meta({ description: 'Invite id (from GET /api/people)' }) }) },
			responses: { '200': ok('Revoked: the link says so', z.object({ ok: z.literal(true) })), '403': err('Only the editor revokes invites'), '404': err('No such open invite') }
		}
	},
	'/api/people/audit': {
		get: {
			responses: {
				'200': ok('What was done to people and invites, newest first (the latest 200): invited, invite replaced or revoked, joined, account created, role changed, password changed, reset link issued or used, removed', z.object({ events: z.array(PeopleAuditEvent) })),
				'403': err('Only the editor reads it')
			}
		}
	},
	'/api/password-resets/{token}': {
		get: { security: [], requestParams: { path: z.object({ token: z.string() }) }, responses: { '200': ok('An unused reset link: whose it is', z.object({ email: z.string(), name: z.string() })), '404': err('Used, replaced, expired or unknown (the message says which)') } },
		post: {
			security: [],
			requestParams: { path: z.object({ token: z.string() }) },
			requestBody: jsonBody(ResetPasswordBody),
			responses: {
				'200': ok('Password set; every session of the person ended (live connections closed with 4003) and this browser signed in', z.object({ user: User })),
				'400': err('Invalid body (10 to 200 characters)'),
				'404': err('Replaced, expired or unknown link'),
				'409': err('The link was used already (a link works once)')
			}
		}
	},
	'/api/invites/{token}': {
		get: { security: [], requestParams: { path: z.object({ token: z.string() }) }, responses: { '200': ok('An open invite', z.object({ email: z.string(), name: z.string(), role: z.enum(ROLES) })), '404': err('No such open invite: used, revoked, replaced, expired or unknown (the message says which)') } },
		post: {
			security: [],
			requestParams: { path: z.object({ token: z.string() }) },
			requestBody: jsonBody(AcceptInviteBody),
			responses: {
				'201': ok('Account created and signed in; every open invite for the e-mail is closed', z.object({ user: User })),
				'400': err('Invalid body'),
				'404': err('Revoked, replaced, expired or unknown invite'),
				'409': err('Already accepted (an invite is accepted once: of concurrent accepts one gets 201, the others 409), or the e-mail has an account'),
				'429': err('Too many attempts from this address (Retry-After says how long)')
			}
		}
	},
};
