import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import { h } from '../widget/dom';
import { announce, baseUrl, isListTab, refresh, session, state } from './context';

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

const isQueue = () => isListTab(state.tab);

/** What the badge says; it says "● Live" only while the socket is in the moderation room. */
function live(text: string, action?: HTMLButtonElement): void {
  const badge = document.getElementById('live');
  if (badge) badge.replaceChildren(text, ...(action ? [' ', action] : []));
}

/**
 * The moderation room: a badge that says whether updates are live, and a refresh of the open
 * queue when it changes (a burst of reports refreshes once). When the socket's access token
 * lapses (`session:expired`) the room is left by the server: the console refreshes the session,
 * re-identifies the socket, joins again and picks up what it missed — or, when the session is
 * over, says so instead of pretending to be live.
 */
export async function goLive(): Promise<void> {
  const { io } = await import('socket.io-client');
  socket = io(baseUrl, { transports: ['websocket'], auth: (cb) => void session.token().then((token) => cb({ token })) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const join = () =>
    socket!.emit('moderation:join', {}, (ack) => {
      live(ack.ok ? '● Live' : 'Live updates refused');
      // Whatever changed before joining the room (first load, or while the session was renewed) is picked up now.
      if (ack.ok && isQueue()) void refresh();
    });
  socket.on('connect', join);
  socket.on('disconnect', () => live('Reconnecting…'));
  socket.on('session:expired', () => {
    live('Not live: renewing the session…');
    void session
      .refresh()
      .then((token) => {
        if (!token) throw new Error('session over');
        socket!.emit('session:refresh', { token }, (ack) => {
          if (ack?.ok) join();
          else sessionOver();
        });
      })
      .catch(sessionOver);
  });
  socket.on('moderation:queue', () => {
    // A burst of reports refreshes once.
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (isQueue()) {
        announce('The queue changed.');
        void refresh();
      }
    }, 150);
  });
}

/** The session ended (logged out elsewhere, revoked): no live updates, and a way back that keeps nothing hidden. */
function sessionOver(): void {
  socket?.disconnect();
  live('Not live: your session ended.', h('button', { type: 'button', onclick: () => location.reload() }, 'Log in again'));
}
