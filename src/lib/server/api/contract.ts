// The API's request shapes: one zod schema gives the validator, the type, and (in openapi.ts) the OpenAPI.
import * as z from 'zod';
import { PIECE_KINDS, REVIEW_STATES, ROLES } from '../../domain/pieces';
import { ASSIGNMENT_ROLES, isCalendarDay } from '../../domain/assignments';
import { COMMENT_MAX_CHARS } from '../../domain/limits';
import { CONTENT_FORMATS } from '../content/render';
import { SOURCE_URL_PROTOCOL } from '../../domain/links';

const email = z.email('must be an e-mail address').max(254);
const password = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
const personName = z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters');

export const SetupBody = z.object({ email, name: personName, password }).meta({ id: 'SetupBody' });
export const LoginBody = z.object({ email: z.string().min(1, 'is required').max(254), password: z.string().min(1, 'is required').max(200) }).meta({ id: 'LoginBody' });
export const TOKEN_MAX_DAYS = 3650;
export const TokenBody = z
	.object({
		name: z.string().trim().min(1, 'is required').max(80),
		expiresAt: z.iso
			.datetime({ offset: true, error: 'must be a date and time such as 2027-01-31T00:00:00Z' })
			.optional()
			.meta({ description: 'When the token stops working (ISO 8601). Omit both this and expiresInDays for a token that never expires' }),
		expiresInDays: z
			.number({ error: 'must be a whole number of days' })
			.int('must be a whole number of days')
			.min(1, 'must be at least 1')
			.max(TOKEN_MAX_DAYS, `must be at most ${TOKEN_MAX_DAYS}`)
			.optional()
			.meta({ description: 'The token stops working this many days from now' })
	})
	.refine((b) => b.expiresAt === undefined || b.expiresInDays === undefined, { message: 'send expiresAt or expiresInDays, not both', path: ['expiresAt'] })
	.meta({ id: 'TokenBody' });
export const ApiTokenInfo = z
	.object({
		id: z.string(),
		name: z.string(),
		createdAt: z.string(),
		lastUsedAt: z.string().nullable(),
		expiresAt: z.string().nullable().meta({ description: 'Null: never expires' }),
		expired: z.boolean().meta({ description: 'Past its expiry: refused with 401 like a revoked token' })
	})
	.meta({ id: 'ApiToken' });
export const CreatePieceBody = z
	.object({
		kind: z.enum(PIECE_KINDS, { error: `must be one of ${PIECE_KINDS.join(', ')}` }),
		title: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
		text: z
			.string()
			.max(2_000_000, 'must be at most 2,000,000 characters')
			.optional()
			.meta({ description: 'A brief’s or an article’s first text instead of the template: blank lines separate paragraphs, a line starting with `## ` is a heading. An interview gets its text by the transcript import' })
	})
	.refine((b) => b.text === undefined || b.kind !== 'interview', { message: 'an interview gets its text by the transcript import (POST /api/pieces/{id}/transcript)', path: ['text'] })
	.meta({ id: 'CreatePieceBody' });
/**
 * The details version the caller last saw (GET /api/pieces/{id} `piece.detailsVersion`, or the ETag): a
 * write naming an older one is refused with 409. Optional: without it the write is not compared.
 */
const detailsVersion = z.number().int('must be an integer').min(1, 'must be at least 1').optional();
const position = z.number({ error: 'must be a whole number from 0' }).int('must be a whole number from 0').min(0, 'must be a whole number from 0').max(100_000);
export const UpdatePieceBody = z
	.object({
		title: z.string().trim().min(1, 'is required').max(300, 'must be at most 300 characters').optional(),
		kind: z.enum(PIECE_KINDS, { error: `must be one of ${PIECE_KINDS.join(', ')}` }).optional(),
		version: detailsVersion.meta({ description: 'The details version the caller last saw (title and kind only: placing is not a detail and needs none)' }),
		issueId: z.string().min(1).max(64).nullable().optional().meta({ description: 'Place the piece in this issue (the editor only); null takes it out of any issue. Absent: the issue it is in' }),
		sectionId: z
			.string()
			.min(1)
			.max(64)
			.nullable()
			.optional()
			.meta({ description: 'A section of that issue (422 otherwise); null: in the issue, in no section. Absent: its section now, or none when the issue changes' }),
		position: position.optional().meta({ description: 'From 0 within the section (or the issue’s pieces in no section); the others shift. Absent or past the end: last' })
	})
	.strict()
	.refine((b) => [b.title, b.kind, b.issueId, b.sectionId, b.position].some((v) => v !== undefined), {
		message: 'send at least one of: title, kind, issueId, sectionId, position'
	})
	.meta({ id: 'UpdatePieceBody' });
export const ReviewBody = z
	.object({
		to: z.enum(REVIEW_STATES, { error: `must be one of ${REVIEW_STATES.join(', ')}` }),
		comment: z.string().max(2000, 'must be at most 2000 characters').optional()
	})
	.meta({ id: 'ReviewBody' });
const MappingEntry = z
	.object({
		participantId: z.string().max(64).optional(),
		name: z.string().max(120).optional(),
		label: z.string().max(24).optional().meta({ description: 'The label printed before the speaker’s turns: a new participant’s, or a new label for the existing one' }),
		role: z.enum(['interviewer', 'interviewee']).optional()
	})
	.strict();
export const TranscriptBody = z
	.object({
		text: z.string({ error: 'is required' }),
		mapping: z.record(z.string().max(120), MappingEntry).optional(),
		mode: z.enum(['append', 'replace']).optional(),
		leadIn: z
			.union([
				z.enum(['transcript', 'keep']),
				z.object({ text: z.string().max(4000, 'must be at most 4000 characters') }).strict()
			])
			.optional()
			.meta({
				description:
					'The lead-in after the import: "transcript" (the text before its first turn), "keep" (the piece’s own, the template’s included), or { text } written here (`*…*` toggles italics). Default: the transcript’s if it has one and the piece’s is still the template’s or empty, else the piece’s'
			})
	})
	.meta({ id: 'TranscriptBody', description: 'A raw transcript and how its speaker labels map to participants' });
export const ImportIssueBody = z
	.object({ text: z.string({ error: 'is required' }).meta({ description: 'The archived issue as text (masthead, contents, pieces), as a text/plain body would send it' }) })
	.strict()
	.meta({ id: 'ImportIssueBody' });
export const ImportIssueQuery = z.object({
	dryRun: z
		.enum(['1', 'true', '0', 'false'], { error: 'must be 1 or 0' })
		.optional()
		.meta({ description: '1: return what the import found, writing nothing' })
});
export const SourceBody = z
	.object({
		name: z.string().trim().min(1, 'is required').max(200),
		url: z.url({ protocol: SOURCE_URL_PROTOCOL, error: 'must be an http(s) URL' }).nullable().optional()
	})
	.meta({ id: 'SourceBody' });
export const ContributorBody = z
	.object({
		name: z.string().trim().min(1, 'is required').max(120).optional(),
		affiliation: z.string().trim().max(200).optional(),
		bio: z.string().max(4000, 'must be at most 4000 characters').optional().meta({ description: 'Plain text; blank lines separate paragraphs' })
	})
	.strict()
	.meta({ id: 'ContributorBody' });
const bioOverride = z.string().max(4000, 'must be at most 4000 characters').nullable();
export const PieceAuthorsBody = z
	.object({
		authors: z
			.array(z.object({ contributorId: z.string().min(1), bioOverride: bioOverride.optional() }).strict())
			.max(20, 'at most 20 authors'),
		version: detailsVersion
	})
	.meta({ id: 'PieceAuthorsBody' });
/** Add one author after the others (POST /api/pieces/{id}/authors). */
export const AddPieceAuthorBody = z
	.object({ contributorId: z.string().min(1, 'is required'), bioOverride: bioOverride.optional(), version: detailsVersion })
	.strict()
	.meta({ id: 'AddPieceAuthorBody' });
/** Write one author's bio for this piece; null returns to the profile's (PATCH /api/pieces/{id}/authors/{contributorId}). */
export const PieceAuthorBioBody = z.object({ bioOverride, version: detailsVersion }).strict().meta({ id: 'PieceAuthorBioBody' });
export const InviteBody = z
	.object({
		email,
		name: personName,
		role: z.enum(ROLES).default('contributor'),
		/** When given, the account is created at once with this initial password instead of an invite link. */
		password: password.optional()
	})
	.meta({ id: 'InviteBody' });
export const AcceptInviteBody = z.object({ name: personName, password }).meta({ id: 'AcceptInviteBody' });
export const ChangePasswordBody = z
	.object({ currentPassword: z.string().min(1, 'is required').max(200), newPassword: password })
	.strict()
	.meta({ id: 'ChangePasswordBody' });
export const ResetPasswordBody = z.object({ newPassword: password }).strict().meta({ id: 'ResetPasswordBody' });
export const ChangeRoleBody = z.object({ role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }) }).strict().meta({ id: 'ChangeRoleBody' });

const filterText = (description: string) =>
	z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters').optional().meta({ description });
export const CitationsQuery = z.object({
	source: filterText('Only citations of this source, by name (case-insensitive, exact): `Varesh Daily`'),
	issueId: filterText('Only pieces of this bulletin issue'),
	pieceId: filterText('Only this piece (404 when the caller may not see it)')
});
export const QaBlocksQuery = z.object({
	pieceId: filterText('Only this piece (404 when the caller may not see it)'),
	issueId: filterText('Only pieces of this bulletin issue'),
	speaker: filterText('Only turns of this participant, by label or name (case-insensitive, exact): `AV` or `Anneli Varga`'),
	role: z.enum(['question', 'answer'], { error: 'must be one of question, answer' }).optional().meta({ description: 'Only questions or only answers' })
});

/** `GET /api/pieces`: search, filters, sort and paging (queries/piece-list.ts). Every value is a query-string text. */
export const PIECE_LIST_SORTS = ['title', 'kind', 'state', 'updated', 'created', 'words', 'due'] as const;
export const PIECE_LIST_MAX = 200;
const flag = (what: string) =>
	z
		.enum(['1', '0', 'true', 'false'], { error: 'must be 1 or 0' })
		.transform((v) => v === '1' || v === 'true')
		.optional()
		.meta({ description: what });
const id = (what: string) => z.string().trim().min(1, 'must not be empty').max(100, 'is too long').optional().meta({ description: what });
export const ListPiecesQuery = z
	.object({
		q: z.string().trim().max(200, 'must be at most 200 characters').optional().meta({ description: 'Words to find in the title and the printed text (each word, or its beginning: "flood" finds "flooding")' }),
		issue: id('An issue id, or `none` for the pieces not placed in any issue'),
		section: id('A section id (of an issue’s table of contents)'),
		kind: z.enum(PIECE_KINDS, { error: `must be one of ${PIECE_KINDS.join(', ')}` }).optional(),
		state: z.enum(REVIEW_STATES, { error: `must be one of ${REVIEW_STATES.join(', ')}` }).optional(),
		assignee: id('A person’s id: the pieces assigned to them (any role, the whole piece or a section)'),
		overdue: flag('1: only pieces with an assignment due before today (in the publication’s time zone) that are not approved or published'),
		archived: flag('1: the archive instead of the live list'),
		sort: z.enum(PIECE_LIST_SORTS, { error: `must be one of ${PIECE_LIST_SORTS.join(', ')}` }).optional().meta({ description: 'Default `updated` (newest first)' }),
		order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional().meta({ description: 'Default: asc for title, kind, state and due; desc for updated, created and words' }),
		limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(PIECE_LIST_MAX, `must be at most ${PIECE_LIST_MAX}`).default(50),
		offset: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be at least 0').max(1_000_000, 'is too large').default(0)
	})
	.strict()
	.meta({ id: 'ListPiecesQuery' });
export type PieceListQuery = z.infer<typeof ListPiecesQuery>;
// Bulletin issues and their table of contents (docs/api.md, "Issues and the table of contents").
const publication = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
const tagline = z.string().trim().max(300, 'must be at most 300 characters').nullable();
const positiveInt = z.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').min(1, 'must be a positive whole number').max(100_000, 'must be at most 100000');
const issueDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2027-03-15 (YYYY-MM-DD)')
	.nullable()
	.meta({ description: 'The publication date, YYYY-MM-DD (an impossible day such as 2027-02-30: 422)' });
const sectionTitle = z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters');
export const CreateIssueBody = z
	.object({
		publication: publication.meta({ description: 'The publication’s name, "Basin Watch"' }),
		tagline: tagline.optional(),
		volume: positiveInt.meta({ description: 'Printed in Roman numerals: 19 is "VOLUME XIX"' }),
		number: positiveInt,
		date: issueDate.optional(),
		sections: z.array(sectionTitle).max(50, 'at most 50 sections').optional().meta({ description: 'Section titles to create, in order ("Briefs", "Articles", "Interview")' })
	})
	.strict()
	.meta({ id: 'CreateIssueBody' });
export const UpdateIssueBody = z
	.object({ publication: publication.optional(), tagline: tagline.optional(), volume: positiveInt.optional(), number: positiveInt.optional(), date: issueDate.optional() })
	.strict()
	.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one of: publication, tagline, volume, number, date' })
	.meta({ id: 'UpdateIssueBody' });
export const CreateSectionBody = z.object({ title: sectionTitle }).strict().meta({ id: 'CreateSectionBody' });
export const UpdateSectionBody = z
	.object({ title: sectionTitle.optional(), position: position.optional().meta({ description: 'From 0; the other sections shift (past the end: last)' }) })
	.strict()
	.refine((b) => b.title !== undefined || b.position !== undefined, { message: 'send at least one of: title, position' })
	.meta({ id: 'UpdateSectionBody' });
// Notifications (docs/api.md, "Notifications")
export const NotificationsQuery = z
	.object({
		before: z.string().min(1).max(64).optional().meta({ description: 'Page on: the id of the last notification seen (older ones follow), or an ISO date and time (those created before it)' }),
		limit: z.coerce.number({ error: 'must be a whole number from 1 to 200' }).int('must be a whole number from 1 to 200').min(1, 'must be at least 1').max(200, 'must be at most 200').optional().meta({ description: 'How many (default 50, at most 200)' })
	})
	.meta({ id: 'NotificationsQuery' });
export const MarkNotificationsReadBody = z
	.union([
		z.object({ ids: z.array(z.string().min(1).max(64)).min(1, 'must name at least one notification').max(500, 'must name at most 500 notifications') }).strict(),
		z.object({ all: z.literal(true) }).strict()
	], { error: 'send { "ids": [...] } or { "all": true }' })
	.meta({ id: 'MarkNotificationsReadBody', description: 'The caller’s notifications to mark read: by id (ids of other people’s or unknown notifications are ignored), or all' });
export const UpdateMeBody = z
	.object({ emailNotifications: z.boolean({ error: 'must be true or false' }).meta({ description: 'E-mail me my notifications (when the server sends e-mail)' }) })
	.strict()
	.meta({ id: 'UpdateMeBody' });
// Assignments (POST /api/pieces/{id}/assignments, PATCH …/{assignmentId}).
const assignmentRole = z.enum(ASSIGNMENT_ROLES, { error: `must be one of ${ASSIGNMENT_ROLES.join(', ')}` });
const dueOn = z
	.string({ error: 'must be a date written YYYY-MM-DD' })
	.refine(isCalendarDay, 'must be a date written YYYY-MM-DD')
	.meta({ description: 'A calendar day in the publication’s time zone (GALLEY_TIMEZONE): late from the next midnight there until the piece is approved' });
const wordTarget = z
	.number({ error: 'must be a whole number of words' })
	.int('must be a whole number of words')
	.min(1, 'must be at least 1')
	.max(100_000, 'must be at most 100000');
const assignedSection = z
	.string({ error: 'must be the id of one of the piece’s headings' })
	.min(1, 'must be the id of one of the piece’s headings')
	.max(200)
	.meta({ description: 'The `id` of a heading of the piece: the section that starts there. Omit (or null) for the whole piece' });
export const AssignmentBody = z
	.object({
		userId: z.string({ error: 'is required' }).min(1, 'is required'),
		role: assignmentRole,
		dueOn: dueOn.nullable().optional(),
		wordTarget: wordTarget.nullable().optional(),
		sectionId: assignedSection.nullable().optional()
	})
	.strict()
	.meta({ id: 'AssignmentBody' });
export const AssignmentPatchBody = z
	.object({
		role: assignmentRole.optional(),
		dueOn: dueOn.nullable().optional(),
		wordTarget: wordTarget.nullable().optional(),
		sectionId: assignedSection.nullable().optional()
	})
	.strict()
	.refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'send at least one of: role, dueOn, wordTarget, sectionId (null clears)' })
	.meta({ id: 'AssignmentPatchBody' });
// Comments (POST /api/pieces/{id}/comments, PATCH /api/comments/{id}).
const commentBody = z
	.string({ error: 'is required' })
	.meta({ description: `Plain text (never rendered as HTML), ${COMMENT_MAX_CHARS} characters at most after trimming; \`@Full Name\` of a person who may see the piece mentions them` });
export const CommentAnchor = z
	.object({
		exact: z.string({ error: 'is required' }).min(1, 'is required').max(100_000, 'must be at most 100000 characters').meta({ description: 'The text commented on, as it is in the piece now (blocks joined by a line break)' }),
		prefix: z.string().max(1000).optional().meta({ description: 'Text just before it (up to 32 characters count), to single out one of several occurrences' }),
		suffix: z.string().max(1000).optional().meta({ description: 'Text just after it' })
	})
	.strict()
	.meta({ id: 'CommentAnchor', description: 'A W3C Web Annotation TextQuoteSelector (without `type`)' });
export const CommentBody = z
	.union([
		z.object({ body: commentBody, anchor: CommentAnchor.optional() }).strict(),
		z.object({ body: commentBody, parentId: z.string({ error: 'is required' }).min(1, 'is required').meta({ description: 'The thread replied to' }) }).strict()
	], { error: 'send { "body", "anchor"? } for a thread or { "body", "parentId" } for a reply' })
	.meta({ id: 'CommentBody', description: 'A new thread (on the quoted text, or without `anchor` on the whole piece), or with `parentId` a reply to a thread' });
export const CommentPatchBody = z
	.object({
		body: commentBody.optional(),
		resolved: z.boolean({ error: 'must be true or false' }).optional().meta({ description: 'Resolve (true) or reopen (false) a thread' })
	})
	.strict()
	.refine((b) => b.body !== undefined || b.resolved !== undefined, { message: 'send at least one of: body, resolved' })
	.meta({ id: 'CommentPatchBody' });

/** GET /api/pieces/{id}/content: the format it is rendered in. */
export const ContentQuery = z.object({
	format: z
		.enum(CONTENT_FORMATS, { error: `must be one of ${CONTENT_FORMATS.join(', ')}` })
		.default('json')
		.meta({ description: 'json (default), markdown or html' })
});

// Versions of a piece (docs/api.md, "Versions").
export const VersionBody = z
	.object({
		label: z.string({ error: 'must be a text' }).meta({ description: 'The version’s name: 1 to 200 characters once trimmed (422 otherwise)' })
	})
	.meta({ id: 'VersionBody' });
export const VERSION_CONTENT_FORMATS = ['json', 'markdown', 'html'] as const;
export const VersionContentQuery = z.object({
	format: z
		.enum(VERSION_CONTENT_FORMATS, { error: `must be one of ${VERSION_CONTENT_FORMATS.join(', ')}` })
		.default('json')
		.meta({ description: 'json (the editor JSON), markdown or html (exports, as GET /api/pieces/{id}/content gives them)' })
});
export const VERSION_DIFF_FORMATS = ['html', 'json'] as const;
export const VersionDiffQuery = z.object({
	against: z
		.string()
		.max(64, 'must be current or a version id')
		.default('current')
		.meta({ description: '`current` (the text as it is now) or the id of another version of the piece: the diff reads from the version to this' }),
	format: z
		.enum(VERSION_DIFF_FORMATS, { error: `must be one of ${VERSION_DIFF_FORMATS.join(', ')}` })
		.default('html')
		.meta({ description: 'html: the marked fragment (text/html); json: `{ html, insertions, deletions }`' })
});
export const EXPORT_FORMATS = ['markdown', 'html', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ExportQuery = z.object({
	format: z
		.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` })
		.meta({ description: 'markdown (the archive format), html (the print page, self-contained) or pdf (that page printed by Chromium)' })
});
