import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { announce, baseUrl, refresh, session, state } from './context';

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

/**
 * The moderation room: a badge that says whether updates are live, and a refresh of the open
 * queue when it changes (a burst of reports refreshes once).
 */
export async function goLive(): Promise<void> {
  const { io } = await import('socket.io-client');
  socket = io(baseUrl, { transports: ['websocket'], auth: (cb) => void session.token().then((token) => cb({ token })) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const live = (text: string) => {
    const badge = document.getElementById('live');
    if (badge) badge.textContent = text;
  };
  socket.on('connect', () =>
    socket!.emit('moderation:join', {}, (ack) => {
      live(ack.ok ? '● Live' : 'Live updates refused');
      // Whatever changed between the first load and joining the room is picked up now.
      if (ack.ok && (state.tab === 'reported' || state.tab === 'pending')) void refresh();
    }),
  );
  socket.on('disconnect', () => live('Reconnecting…'));
  socket.on('moderation:queue', () => {
    // A burst of reports refreshes once.
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (state.tab === 'reported' || state.tab === 'pending') {
        announce('The queue changed.');
        void refresh();
      }
    }, 150);
  });
}
