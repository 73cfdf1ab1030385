// The room channel (docs/api.md, "Room channel"): one WebSocket per open room page. Credentials go
// in the first frame, never in the URL. A dropped connection comes back with a growing pause and
// `resume_after` the last event seen; when the server cannot resume, the list starts afresh.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, retryAfterOf } from '../../api/client';
import type { GiftEvent, LocalizedText, Lottery, PresenceCard } from '../../api/types';

export interface ChatMessage {
  seq: number;
  id: string;
  kind: 'comment' | 'question';
  text: string;
  at: number;
  author: PresenceCard;
}

export interface CohostEvent {
  action: 'on_air' | 'off_air';
  masked: boolean;
  card: PresenceCard;
  request_id?: string;
}

/** The room's latest lottery as the channel announced it; `winners` once it is drawn. */
export interface LotteryEvent {
  lottery: Lottery;
  winners: PresenceCard[] | null;
}

export type ChannelState = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'removed' | 'refused';

export interface Channel {
  state: ChannelState;
  /** This person's pseudonym in the room (from `welcome`). */
  viewer: string | null;
  viewers: number | null;
  presence: PresenceCard[];
  messages: ChatMessage[];
  /** Gifts announced since this page joined (or since the last resume), oldest first. */
  gifts: GiftEvent[];
  /** Who is on air with the host now, by pseudonym. */
  onAir: CohostEvent[];
  /**
   * The lottery announced since this page joined. The server tells of a lottery only when it opens
   * and when it is drawn; the room page asks for one already open (GET /rooms/{id}/lotteries).
   */
  lottery: LotteryEvent | null;
  /** The last `error` frame: a refused post (slow mode, muted…) or a refused join. */
  error: ApiError | null;
  clearError: () => void;
  removed: { kind: string; reason?: string } | null;
  send: (kind: 'comment' | 'question', text: string) => boolean;
}

/** Join codes after which trying again cannot help. */
const FATAL_JOIN = new Set(['banned', 'room_ended', 'room_not_found', 'watch_token_invalid', 'channel_flooding']);
const PING_MS = 25_000;
const MAX_BACKOFF_MS = 15_000;

type Credential = { session: string } | { ticket: string };

export function channelUrl(roomId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/rooms/${encodeURIComponent(roomId)}/channel`;
}

function toError(raw: unknown): ApiError {
  const e = (raw ?? {}) as { code?: string; status?: number; message?: Partial<LocalizedText>; retry_after?: unknown };
  const messages = e.message ? { 'zh-CN': e.message['zh-CN'] ?? '', en: e.message.en ?? '' } : null;
  return new ApiError(e.code ?? 'bad_response', e.status ?? 0, messages, retryAfterOf(e.retry_after));
}

/** `credential` null: not connected (yet). */
export function useChannel(roomId: string, credential: Credential | null): Channel {
  const [state, setState] = useState<ChannelState>('connecting');
  const [viewer, setViewer] = useState<string | null>(null);
  const [viewers, setViewers] = useState<number | null>(null);
  const [presence, setPresence] = useState<PresenceCard[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [gifts, setGifts] = useState<GiftEvent[]>([]);
  const [onAir, setOnAir] = useState<CohostEvent[]>([]);
  const [lottery, setLottery] = useState<LotteryEvent | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [removed, setRemoved] = useState<{ kind: string; reason?: string } | null>(null);
  const socketRef = useRef<WebSocket | null>(null);
  const key = credential ? ('session' in credential ? `s:${credential.session}` : `t:${credential.ticket}`) : '';

  useEffect(() => {
    if (!credential) return undefined;
    let stopped = false;
    let lastSeq: number | null = null;
    let attempt = 0;
    let retryTimer: number | undefined;
    let pingTimer: number | undefined;
    let joined = false;

    const stop = (final: ChannelState) => {
      stopped = true;
      setState(final);
      socketRef.current?.close();
    };

    const handle = (frame: Record<string, unknown>) => {
      if (typeof frame.seq === 'number' && frame.type !== 'welcome') lastSeq = frame.seq;
      switch (frame.type) {
        case 'welcome': {
          joined = true;
          attempt = 0;
          setState('open');
          setViewer(String(frame.viewer ?? ''));
          if (typeof frame.viewers === 'number') setViewers(frame.viewers);
          setPresence(Array.isArray(frame.presence) ? (frame.presence as PresenceCard[]) : []);
          if (!frame.resumed) {
            // Nothing to resume from (first join, or too long away): the list starts afresh.
            setMessages([]);
            setGifts([]);
            setOnAir([]);
          }
          if (typeof frame.seq === 'number' && (!frame.resumed || lastSeq === null)) lastSeq = frame.seq;
          break;
        }
        case 'presence': {
          if (frame.action === 'enter' && frame.card) {
            const card = frame.card as PresenceCard;
            setPresence((list) => [...list.filter((c) => c.viewer !== card.viewer), card]);
          } else if (frame.action === 'leave') {
            setPresence((list) => list.filter((c) => c.viewer !== frame.viewer));
          }
          break;
        }
        case 'comment':
        case 'question': {
          const message: ChatMessage = {
            seq: Number(frame.seq ?? 0),
            id: String(frame.id),
            kind: frame.type,
            text: String(frame.text ?? ''),
            at: Number(frame.at ?? Date.now()),
            author: (frame.author as PresenceCard) ?? { viewer: '' },
          };
          setMessages((list) => (list.some((m) => m.id === message.id) ? list : [...list, message].slice(-300)));
          break;
        }
        case 'gift': {
          const gift: GiftEvent = {
            seq: Number(frame.seq ?? 0),
            id: String(frame.id),
            gift: String(frame.gift ?? ''),
            quantity: Number(frame.quantity ?? 1),
            coins: Number(frame.coins ?? 0),
            from: (frame.from as PresenceCard) ?? { viewer: '' },
          };
          setGifts((list) => (list.some((g) => g.id === gift.id) ? list : [...list, gift].slice(-100)));
          break;
        }
        case 'message_deleted':
          setMessages((list) => list.filter((m) => m.id !== frame.id));
          break;
        case 'viewers':
          if (typeof frame.count === 'number') setViewers(frame.count);
          break;
        case 'cohost': {
          const event = frame as unknown as CohostEvent;
          setOnAir((list) => {
            const others = list.filter((e) => e.card?.viewer !== event.card?.viewer);
            return event.action === 'on_air' ? [...others, event] : others;
          });
          break;
        }
        case 'lottery': {
          // A lottery stays known across a reconnect that cannot resume: nothing would tell us again.
          const announced = frame.lottery as Lottery | undefined;
          if (!announced || typeof announced.id !== 'string') break;
          const winners = frame.action === 'drawn' && Array.isArray(frame.winners) ? (frame.winners as PresenceCard[]) : null;
          setLottery({ lottery: announced, winners });
          break;
        }
        case 'removed':
          setRemoved({ kind: String(frame.kind ?? 'kick'), reason: frame.reason ? String(frame.reason) : undefined });
          stop('removed');
          break;
        case 'ended':
          stop('ended');
          break;
        case 'error': {
          const e = toError(frame.error);
          setError(e);
          if (!joined && FATAL_JOIN.has(e.code)) stop('refused');
          if (e.code === 'channel_flooding') stop('refused');
          break;
        }
        default:
          break;
      }
    };

    const connect = () => {
      if (stopped) return;
      joined = false;
      const socket = new WebSocket(channelUrl(roomId));
      socketRef.current = socket;
      socket.onopen = () => {
        const join: Record<string, unknown> = { type: 'join', ...credential };
        if (lastSeq !== null) join.resume_after = lastSeq;
        socket.send(JSON.stringify(join));
        pingTimer = window.setInterval(() => {
          if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
        }, PING_MS);
      };
      socket.onmessage = (event) => {
        try {
          const frame = JSON.parse(String(event.data)) as Record<string, unknown>;
          if (frame && typeof frame === 'object') handle(frame);
        } catch {
          // Not JSON: ignored.
        }
      };
      socket.onclose = () => {
        window.clearInterval(pingTimer);
        if (socketRef.current === socket) socketRef.current = null;
        if (stopped) return;
        setState('reconnecting');
        const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        attempt += 1;
        retryTimer = window.setTimeout(connect, delay);
      };
    };

    setState('connecting');
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      window.clearInterval(pingTimer);
      socketRef.current?.close();
      socketRef.current = null;
    };
    // `key` stands for the credential.
  }, [roomId, key]);

  const send = useCallback((kind: 'comment' | 'question', text: string) => {
    const socket = socketRef.current;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    setError(null);
    socket.send(JSON.stringify({ type: kind, text }));
    return true;
  }, []);
  const clearError = useCallback(() => setError(null), []);

  return { state, viewer, viewers, presence, messages, gifts, onAir, lottery, error, clearError, removed, send };
}
