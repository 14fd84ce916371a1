// The OpenAPI paths of notifications (docs/api.md, "Notifications"), spread into openapi.ts's paths.
import * as z from 'zod';
import { err, ok } from './openapi-parts';
import { MarkNotificationsReadBody, NotificationsQuery } from './contract';
import { NOTIFICATION_TYPES } from '../notifications';


export const Notification = z
	.object({
		id: z.string(),
		type: z.enum(NOTIFICATION_TYPES),
		pieceId: z.string().optional().meta({ description: 'The piece it is about, when there is one' }),
		issueId: z.string().optional().meta({ description: 'The bulletin issue of that piece, when it is placed in one' }),
		actor: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'Who did it; null for Galley itself (due reminders) or a removed account' }),
		text: z.string().meta({ description: 'The line a person reads, naming the piece and who did what (and the comment of a review move)' }),
		createdAt: z.string(),
		readAt: z.string().nullable()
	})
	.meta({ id: 'Notification' });

const Unread = z.number().int().min(0).meta({ description: 'How many of the caller’s notifications are unread' });

export const notificationPaths = {
	'/api/notifications': {
		get: {
			requestParams: { query: NotificationsQuery },
			responses: {
				'200': ok('The caller’s notifications, newest first, and the unread count', z.object({ notifications: z.array(Notification), unread: Unread })),
				'400': err('Bad `limit` or `before`'),
				'401': err('Not signed in'),
				'404': err('`before` names no notification of the caller’s')
			}
		}
	},
	'/api/notifications/read': {
		post: {
			requestBody: { content: { 'application/json': { schema: MarkNotificationsReadBody } } },
			responses: {
				'200': ok('Marked; ids that are not the caller’s are ignored. The caller’s open pages hear a `notifications` event', z.object({ unread: Unread })),
				'400': err('Invalid body'),
				'401': err('Not signed in')
			}
		}
	}
};
