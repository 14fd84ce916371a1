// The OpenAPI document of the API (served at /api/openapi.json): the response shapes, and every route with
// the request schemas of contract.ts, so the document cannot drift from the validators.
import * as z from 'zod';
import { err, ok, jsonBody } from './openapi-parts';
import { createDocument } from 'zod-openapi';
import { PIECE_KINDS, REVIEW_STATES, ROLES } from '../../domain/pieces';
import { CONTENT_FORMATS } from '../content/render';
import { formatMiB, MAX_REQUEST_BODY_BYTES } from '../../domain/limits';
import { issuePaths } from './openapi-issues';
import { AcceptInviteBody, ApiTokenInfo, ChangePasswordBody, ChangeRoleBody, CitationsQuery, ContributorBody, CreatePieceBody, ListPiecesQuery, InviteBody, LoginBody, AddPieceAuthorBody, PieceAuthorBioBody, PieceAuthorsBody, QaBlocksQuery, ResetPasswordBody, SetupBody, SourceBody, TokenBody, TranscriptBody, UpdateMeBody, UpdatePieceBody } from './contract';
import { notificationPaths } from './openapi-notifications';
import { assignmentPaths } from './openapi-assignments';
import { versionPaths } from './openapi-versions';
import { reviewPaths } from './openapi-review';
import { commentPaths } from './openapi-comments';
import { archivePaths } from './openapi-archive';
import { exportPaths } from './openapi-export';

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
const Actions = z
	.record(z.string(), z.boolean())
	.meta({ description: 'What the caller may do with the piece: view, edit_text, replace_text, update_details, change_review_state, delete, assign (the editor), comment (everyone who may view), archive and restore (the editor), save_version (a named version: whoever may write in the text or move it through review) and restore_version (put a version back: the editor and the piece’s authors, not while locked or archived). edit_text is true also for a contributor assigned only to sections (who writes inside them only, over the websocket); replace_text (a transcript import) needs a right on the whole piece. delete is true only for the editor on an archived piece. edit_text, replace_text and update_details are false for everyone while the piece is approved or published (locked), or archived' });
const Piece = z
	.object({
		id: z.string(),
		kind: z.enum(PIECE_KINDS),
		title: z.string(),
		reviewState: z.enum(REVIEW_STATES),
		detailsVersion: z.number().int().meta({ description: 'Version of the details (title, kind, authors, bios), also the ETag: name it (`version` or If-Match) in a change to have a stale one refused with 409' }),
		issueId: z.string().nullable().meta({ description: 'The issue it is placed in (PATCH with issueId)' }),
		sectionId: z.string().nullable().meta({ description: 'Its section in that issue; null: in no section' }),
		createdBy: z.string(),
		createdByName: z.string(),
		createdAt: z.string(),
		updatedAt: z.string().meta({ description: 'Moves when the details, the review state or the printed text change' }),
		archivedAt: z.string().nullable().meta({ description: 'When the editor archived it; null for a live piece' }),
		wordCount: z.number().int().meta({ description: 'Words of the printed body (no endnotes, no bios; an interview’s lead-in and turns with their speaker labels), rebuilt after each store of the text' }),
		actions: Actions
	})
	.meta({ id: 'Piece' });
const ListedPiece = Piece.extend({
	issue: z.object({ id: z.string(), number: z.number().int() }).nullable(),
	section: z.object({ id: z.string(), title: z.string() }).nullable(),
	dueOn: z.string().nullable().meta({ description: 'The earliest due date (YYYY-MM-DD) of the piece’s assignments' })
}).meta({ id: 'ListedPiece' });

const Contributor = z.object({ id: z.string(), userId: z.string().nullable(), name: z.string(), affiliation: z.string(), bio: z.string() }).meta({ id: 'Contributor' });
const PieceAuthor = z
	.object({ contributorId: z.string(), name: z.string(), affiliation: z.string(), profileBio: z.string(), bioOverride: z.string().nullable(), bio: z.string() })
	.meta({ id: 'PieceAuthor' });
const CitationRow = z
	.object({
		pieceId: z.string(),
		pieceTitle: z.string(),
		issueId: z.string().nullable(),
		position: z.number().int().meta({ description: 'Order of the citation in its piece, from 0' }),
		source: z.string().meta({ description: 'The source’s name as printed' }),
		url: z.string().nullable(),
		date: z.string().nullable().meta({ description: 'The date as written: "March 12"' })
	})
	.meta({ id: 'Citation' });
const QaBlockRow = z
	.object({
		pieceId: z.string(),
		pieceTitle: z.string(),
		issueId: z.string().nullable(),
		position: z.number().int().meta({ description: 'Order of the turn in its piece, from 0' }),
		blockId: z.string().nullable().meta({ description: 'The turn’s stable id in the document' }),
		role: z.enum(['question', 'answer']),
		speaker: z.string().meta({ description: 'The participant’s label as printed ("AV"), their name when they have no label, "?" when unknown' }),
		speakerName: z.string().nullable(),
		text: z.string().meta({ description: 'Plain text; paragraphs separated by a blank line' }),
		timestamp: z.string().nullable()
	})
	.meta({ id: 'QaBlock' });
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
const AlreadyPresent = z.number().int().min(0).meta({
	description:
		'How many of the transcript’s turns the piece already has (the same speaker, by printed label, saying the same text; empty turns never count): appending would repeat them. Counted against the piece as it was when the import was applied'
});
const pieceId = z.object({ id: z.string().meta({ description: 'Piece id' }) });
const pieceAuthorId = pieceId.extend({ contributorId: z.string().meta({ description: 'The author’s contributor id' }) });
const ifMatch = z.object({
	'if-match': z.string().optional().meta({ description: 'The details version the caller last saw, as an entity tag ("7"); instead of `version` in the body' })
});
const etag = { ETag: { description: 'The details version, "7"', schema: { type: 'string' as const } } };
const Authors = z.object({ authors: z.array(PieceAuthor), version: z.number().int().meta({ description: 'The details version (also the ETag)' }) }).meta({ id: 'PieceAuthors' });
/** 409 on a stale version: the error and the current state (`piece`, or `authors` and `version`) beside it. */
const stale = (description: string, state: z.ZodRawShape) => ({
	description,
	headers: etag,
	content: { 'application/json': { schema: z.object({ error: z.object({ message: z.string(), field: z.string().optional() }), ...state }) } }
});
const STALE = 'Stale: the body’s `version` (or If-Match) is older than the details now; the body carries the current state, nothing was changed. Or the piece is approved or published (locked), with only `error`';

export function openApiDocument() {
	return createDocument({
		openapi: '3.1.0',
		info: {
			title: 'Galley API',
			version: '1.0.0',
			description:
				'JSON API of Galley. Authenticate with the session cookie (browser) or `Authorization: Bearer <token>` (scripts; create a token with POST /api/tokens). Errors are `{ "error": { "message", "field"? } }`. ' +
				`Request bodies are limited to ${formatMiB(MAX_REQUEST_BODY_BYTES)} on every route, declared or chunked: over it, 413.`
		},
		components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'galley_session', description: '`__Host-galley_session` when the server’s origin is https' } } },
		security: [{ bearer: [] }, { cookie: [] }],
		paths: {
			'/api/health': { get: { security: [], responses: { '200': ok('The database answers', z.object({ ok: z.literal(true), database: z.string() })), '503': err('The database does not answer') } } },
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
			'/api/pieces': {
				get: {
					description: 'The pieces the caller may see (a contributor: those they created or are assigned to), not archived unless `archived=1`: searched, filtered, sorted and paged.',
					requestParams: { query: ListPiecesQuery },
					responses: {
						'200': ok('One page of the list and the number of pieces that match', z.object({ pieces: z.array(ListedPiece), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })),
						'400': err('A bad parameter (an unknown one, a value out of range or not among the allowed ones): `field` names it'),
						'401': err('Not signed in')
					}
				},
				post: { requestBody: jsonBody(CreatePieceBody), responses: { '201': ok('Piece created from its kind’s template, or from `text`', z.object({ piece: Piece })), '400': err('Invalid body'), '401': err('Not signed in') } }
			},
			'/api/pieces/{id}': {
				get: { requestParams: { path: pieceId }, responses: { '200': { ...ok('The piece', z.object({ piece: Piece })), headers: etag }, '401': err('Not signed in'), '404': err('No such piece, or not visible to the caller') } },
				patch: {
					description:
						'Change the title or kind (every open page of the piece is told at once: the `piece` notice of the collaboration protocol), and/or place the piece in an issue’s table of contents with `issueId`, `sectionId`, `position` (the editor only; no version needed; allowed on a locked piece). Positions stay dense: the other pieces shift.',
					requestParams: { path: pieceId, header: ifMatch },
					requestBody: jsonBody(UpdatePieceBody),
					responses: {
						'200': { ...ok('Updated', z.object({ piece: Piece })), headers: etag },
						'400': err('Invalid body, or a malformed If-Match'),
						'403': err('The caller’s role may not change this piece’s details (a reviewer or viewer), or a placing by anyone but the editor'),
						'404': err('No such piece, or not visible to the caller'),
						'409': stale(`${STALE}.`, { piece: Piece }),
						'422': err('A placing naming an unknown issue (`issueId`), or a section that is not one of the issue’s (`sectionId`); nothing was changed')
					}
				},
				delete: {
					description: 'The editor deletes an archived piece with its document and everything of it (versions, comments, assignments, projections). Open connections to it close (4003).',
					requestParams: { path: pieceId },
					responses: { '204': { description: 'Deleted' }, '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller'), '409': err('The piece is not archived: archive it first') }
				}
			},
			'/api/pieces/{id}/archive': {
				post: {
					description: 'The editor archives the piece: it leaves every list and board, and is read-only (text and details) until restored; open editors reconnect read-only (4001). Archiving an archived piece changes nothing.',
					requestParams: { path: pieceId },
					responses: { '200': ok('Archived', z.object({ piece: Piece })), '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller') }
				}
			},
			'/api/pieces/{id}/restore': {
				post: {
					description: 'The editor restores an archived piece: back in the lists, editable as before. Restoring a live piece changes nothing.',
					requestParams: { path: pieceId },
					responses: { '200': ok('Restored', z.object({ piece: Piece })), '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller') }
				}
			},
			...reviewPaths(Piece),
			'/api/pieces/{id}/transcript': {
				post: {
					requestParams: { path: pieceId, query: z.object({ dryRun: z.enum(['1', 'true']).optional().meta({ description: 'Return the blocks it would make; change nothing' }), mode: z.enum(['append', 'replace']).optional() }) },
					requestBody: { content: { 'text/plain': { schema: z.string().meta({ description: 'The raw transcript' }) }, 'application/json': { schema: TranscriptBody } } },
					responses: {
						'200': ok(
							'Dry run: labels found, participants, the blocks it would make, and how many of them the piece already has',
							z.object({ dryRun: z.literal(true), mode: z.enum(['append', 'replace']), alreadyPresent: AlreadyPresent }).passthrough()
						),
						'201': ok('Imported into the live document', z.object({ dryRun: z.literal(false), mode: z.enum(['append', 'replace']), imported: z.number(), alreadyPresent: AlreadyPresent }).passthrough()),
						'400': err('Invalid body'),
						'403': err('Not allowed to edit this piece'),
						'404': err('No such piece'),
						'409': err('The piece is approved or published (locked) until the editor reopens it'),
						'413': err(`The body, or the transcript’s text, is larger than ${formatMiB(MAX_REQUEST_BODY_BYTES)}`),
						'415': err('Neither text/plain nor JSON'),
						'422': err('Empty (blank), binary (not text), no speaker labels, or a whole bulletin issue (its masthead and contents: whole issues are imported with the issue import); the message says which')
					}
				}
			},
			'/api/sources': {
				get: { requestParams: { query: z.object({ q: z.string().optional() }) }, responses: { '200': ok('The source library (filtered by name with q)', z.object({ sources: z.array(z.object({ id: z.string(), name: z.string(), url: z.string().nullable() })) })) } },
				post: { requestBody: jsonBody(SourceBody), responses: { '201': ok('Added to the library (anyone signed in)', z.object({ source: z.object({ id: z.string(), name: z.string(), url: z.string().nullable() }) })), '400': err('Invalid body'), '409': err('A source of that name exists') } }
			},
			'/api/sources/{id}': {
				patch: {
					requestParams: { path: z.object({ id: z.string() }) },
					requestBody: jsonBody(SourceBody.partial()),
					responses: {
						'200': ok('Updated (the editor only). Citations already in pieces keep their own copy', z.object({ source: z.object({ id: z.string(), name: z.string(), url: z.string().nullable() }) })),
						'400': err('Invalid body'),
						'403': err('Only the editor renames or re-points a source (contributors add new ones)'),
						'404': err('No such source')
					}
				}
			},
			'/api/pieces/{id}/content': {
				get: {
					requestParams: { path: pieceId, query: z.object({ format: z.enum(CONTENT_FORMATS).optional().meta({ description: 'json (default), markdown or html' }) }) },
					responses: {
						'200': {
							description:
								'The content rendered on the server from the Yjs state. Markdown and HTML are exports: sent as attachments named after the piece, sandboxed so a browser never runs them as a page of the app',
							headers: z.object({
								'content-disposition': z.string().optional().meta({ description: 'markdown and html: `attachment; filename="<title>.md|.html"` (the title in ASCII letters, digits and dashes)' }),
								'content-security-policy': z.string().optional().meta({ description: 'markdown and html: `sandbox`' })
							}),
							content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() } }
						},
						'400': err('Unknown format'),
						'404': err('No such piece')
					}
				}
			},
			'/api/citations': {
				get: {
					requestParams: { query: CitationsQuery },
					responses: {
						'200': ok('Citations in the pieces the caller may see, by piece then in text order. Rebuilt from the document whenever it is stored (within about a second of an edit)', z.object({ citations: z.array(CitationRow) })),
						'400': err('Invalid filter'),
						'401': err('Not signed in'),
						'404': err('No such piece (pieceId)')
					}
				}
			},
			'/api/qa-blocks': {
				get: {
					requestParams: { query: QaBlocksQuery },
					responses: {
						'200': ok('Q&A turns of the interviews the caller may see, by piece then in document order. Rebuilt from the document whenever it is stored (within about a second of an edit)', z.object({ qaBlocks: z.array(QaBlockRow) })),
						'400': err('Invalid filter'),
						'401': err('Not signed in'),
						'404': err('No such piece (pieceId)')
					}
				}
			},
			'/api/contributors': {
				get: { responses: { '200': ok('Contributor profiles', z.object({ contributors: z.array(Contributor) })) } }
			},
			'/api/contributors/{id}': {
				patch: { requestParams: { path: z.object({ id: z.string() }) }, requestBody: jsonBody(ContributorBody), responses: { '200': ok('Updated profile', z.object({ contributor: Contributor })), '403': err('Not your profile'), '404': err('No such contributor') } }
			},
			'/api/pieces/{id}/authors': {
				get: { requestParams: { path: pieceId }, responses: { '200': { ...ok('Authors in order with the bio that ends the piece, and the details version', Authors), headers: etag }, '404': err('No such piece') } },
				put: {
					description: 'Replace the whole list. Send `version` (or If-Match) so a list changed meanwhile is not overwritten; to add, remove or re-word one author, use POST here and /api/pieces/{id}/authors/{contributorId}.',
					requestParams: { path: pieceId, header: ifMatch },
					requestBody: jsonBody(PieceAuthorsBody),
					responses: {
						'200': { ...ok('Authors set', Authors), headers: etag },
						'400': err('Invalid body'),
						'403': err('The caller’s role may not change this piece’s authors (a reviewer or viewer)'),
						'404': err('No such piece'),
						'409': stale(`${STALE}.`, Authors.shape)
					}
				},
				post: {
					description: 'Add one author after the others; the others are untouched. One who is an author already stays as they are (200, nothing changes).',
					requestParams: { path: pieceId, header: ifMatch },
					requestBody: jsonBody(AddPieceAuthorBody),
					responses: {
						'200': { ...ok('The authors now', Authors), headers: etag },
						'400': err('Invalid body, or no such contributor'),
						'403': err('The caller’s role may not change this piece’s authors'),
						'404': err('No such piece'),
						'409': stale(`${STALE}.`, Authors.shape)
					}
				}
			},
			'/api/pieces/{id}/authors/{contributorId}': {
				patch: {
					description: 'Write this author’s bio for this piece (null: the profile’s bio again); the other authors are untouched.',
					requestParams: { path: pieceAuthorId, header: ifMatch },
					requestBody: jsonBody(PieceAuthorBioBody),
					responses: {
						'200': { ...ok('The authors now', Authors), headers: etag },
						'400': err('Invalid body'),
						'403': err('The caller’s role may not change this piece’s authors'),
						'404': err('No such piece, or the contributor is not one of its authors'),
						'409': stale(`${STALE}.`, Authors.shape)
					}
				},
				delete: {
					description: 'Remove this author; the others keep their order. One who is not an author (removed meanwhile): 200, nothing changes.',
					requestParams: { path: pieceAuthorId, header: ifMatch },
					responses: {
						'200': { ...ok('The authors now', Authors), headers: etag },
						'403': err('The caller’s role may not change this piece’s authors'),
						'404': err('No such piece'),
						'409': stale(`${STALE}.`, Authors.shape)
					}
				}
			},
			...assignmentPaths,
			...commentPaths,
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
			...issuePaths,
			...archivePaths,
			...exportPaths,
			...versionPaths(Piece),
			'/api/openapi.json': { get: { security: [], responses: { '200': ok('This document', z.object({}).passthrough()) } } }
		}
	});
}
