import { can, refusal } from '@parley/contracts';
import type { LiveSocket } from './live.identity';
import { joinedModerationRooms, moderationRoomsOf, userRoom } from './rooms';

/** On connection: an identified socket listens to its user's room (ban notices). */
export function joinIdentityRooms(socket: LiveSocket): void {
  const viewer = socket.data.viewer;
  if (viewer) void socket.join(userRoom(viewer.id));
}

/**
 * `moderation:join` puts the socket of a viewer the policy lets watch the queue in the moderation room, which receives
 * `moderation:queue` changes; anyone else is refused and stays out. The role is the one of the
 * socket's current token, so a refreshed token without the role drops the socket from the room.
 */
export function handleModerationRoom(socket: LiveSocket): void {
  socket.on('moderation:join', async (_raw, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const viewer = socket.data.viewer;
    if (!viewer) return reply({ ok: false, error: { code: 'unauthenticated', message: 'Connect with a moderator token first.' } });
    if (!can(viewer, 'moderation.queue')) {
      // A staff account logged in on a publisher's page is a reader there: told it needs a staff session.
      const refused = refusal(viewer, 'moderation.queue');
      return reply({ ok: false, error: { code: refused.code, message: refused.message } });
    }
    await socket.join(moderationRoomsOf(viewer));
    reply({ ok: true });
  });

  socket.on('moderation:leave', async (_raw, ack) => {
    for (const room of joinedModerationRooms(socket.rooms)) await socket.leave(room);
    if (typeof ack === 'function') ack({ ok: true });
  });
}
