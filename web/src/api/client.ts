// One typed client for every endpoint of docs/api.md. Every failure, from the server or from the
// network, becomes an ApiError, so a page has one kind of error to show.
import type {
  ApplicationRequest,
  ApplicationStatus,
  ChoosableRole,
  Clip,
  ClipRequest,
  Recording,
  CodeSent,
  CohostRequest,
  CreateRoomRequest,
  Delivery,
  DeliveryRequest,
  Lottery,
  LotteryDraw,
  GoLiveResult,
  HeldData,
  ModerationRequest,
  PublicPenalty,
  PublishCredential,
  WhepOffer,
  Report,
  ReportAction,
  ReportRequest,
  ReportStatus,
  Room,
  RoomPatch,
  ConsentChange,
  ConsentState,
  DevClock,
  DocumentId,
  GiftCatalogue,
  GiftSent,
  PaymentCallbackResult,
  RechargeOrder,
  SignedCallback,
  Wallet,
  Withdrawal,
  ErrorBody,
  Health,
  Info,
  Lang,
  LocalizedText,
  LoginResult,
  Me,
  NoticeList,
  Outbox,
  Policy,
  PolicyDocument,
  ProfilePatch,
  PublicKey,
  RealNameRequest,
  RealNameStatus,
  ReceiptFile,
  StreamerApplication,
  VerifyRequest,
} from './types';

export * from './types';

/** Codes the client itself gives when the server's answer is not an error body. */
export const CLIENT_ERROR_CODES = {
  network: 'network_error',
  badResponse: 'bad_response',
} as const;

export class ApiError extends Error {
  /** Stable, machine-readable (`phone_invalid`, `consent_required`, …). */
  readonly code: string;
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The server's message in both languages; null when the server sent none. */
  readonly messages: LocalizedText | null;
  /** Seconds until the refusal ends (a rate limit), when the server said. */
  readonly retryAfter: number | null;

  constructor(code: string, status: number, messages: LocalizedText | null, retryAfter: number | null = null) {
    super(messages ? messages.en : code);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.messages = messages;
    this.retryAfter = retryAfter;
  }
}

/** A server's `retry_after`, when it is a positive number of seconds. */
export function retryAfterOf(value: unknown): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' && typeof e.message === 'object' && e.message !== null;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /** A body sent byte for byte, as JSON (a signed payment callback). */
  rawBody?: string;
  headers?: Record<string, string>;
  auth?: boolean;
  query?: Record<string, string>;
  /** The request outlives the page (a DELETE sent while the tab closes). */
  keepalive?: boolean;
}

export class VeilClient {
  private readonly base: string;
  private readonly getToken: () => string | null;

  /**
   * @param getToken reads the session token at each call, so logging in or out needs no new client.
   * @param base the API root; the server serves the app and the API on one origin.
   */
  constructor(getToken: () => string | null, base = '/api/v1') {
    this.getToken = getToken;
    this.base = base;
  }

  // ---------------------------------------------------------------- public
  health(): Promise<Health> {
    return this.json('GET', '/healthz', {}, '');
  }

  info(): Promise<Info> {
    return this.json('GET', '/info');
  }

  policy(): Promise<Policy> {
    return this.json('GET', '/policy');
  }

  document(doc: DocumentId, lang: Lang): Promise<PolicyDocument> {
    return this.json('GET', `/policy/documents/${encodeURIComponent(doc)}`, { query: { lang } });
  }

  publicKey(): Promise<PublicKey> {
    return this.json('GET', '/policy/public-key');
  }

  // ---------------------------------------------------------------- auth
  /** Needs the policy version the visitor accepted; without it nothing is stored. */
  sendCode(phone: string, policyVersion: string): Promise<CodeSent> {
    return this.json('POST', '/auth/code', { body: { phone, policy_version: policyVersion } });
  }

  verify(request: VerifyRequest): Promise<LoginResult> {
    return this.json('POST', '/auth/verify', { body: request });
  }

  passwordLogin(phone: string, password: string): Promise<LoginResult> {
    return this.json('POST', '/auth/password-login', { body: { phone, password } });
  }

  logout(): Promise<void> {
    return this.empty('POST', '/auth/logout', { auth: true });
  }

  // ---------------------------------------------------------------- me
  me(): Promise<Me> {
    return this.json('GET', '/me', { auth: true });
  }

  updateProfile(patch: ProfilePatch): Promise<Me> {
    return this.json('PATCH', '/me/profile', { auth: true, body: patch });
  }

  setPassword(password: string): Promise<void> {
    return this.empty('PUT', '/me/password', { auth: true, body: { password } });
  }

  addRole(role: ChoosableRole): Promise<Me> {
    return this.json('POST', '/me/roles', { auth: true, body: { role } });
  }

  removeRole(role: ChoosableRole): Promise<Me> {
    return this.json('DELETE', `/me/roles/${encodeURIComponent(role)}`, { auth: true });
  }

  /** Everything held about the signed-in person (H1), by data-map category. */
  myData(): Promise<HeldData> {
    return this.json('GET', '/me/data', { auth: true });
  }

  consents(): Promise<ConsentState> {
    return this.json('GET', '/me/consents', { auth: true });
  }

  changeConsents(change: ConsentChange): Promise<ConsentState> {
    return this.json('POST', '/me/consents', { auth: true, body: change });
  }

  async receipt(seq: number): Promise<ReceiptFile> {
    const response = await this.send('GET', `/me/consents/receipts/${seq}`, { auth: true });
    const blob = await response.blob();
    return {
      blob,
      filename:
        filenameFromDisposition(response.headers.get('Content-Disposition')) ??
        `veil-consent-receipt-${seq}.json`,
    };
  }

  // ---------------------------------------------------------------- real-name verification
  realName(): Promise<RealNameStatus> {
    return this.json('GET', '/me/real-name', { auth: true });
  }

  /** Needs the `real_name` consent first; the photo is sent once and kept nowhere. */
  verifyRealName(request: RealNameRequest): Promise<RealNameStatus> {
    return this.json('POST', '/me/real-name', { auth: true, body: request });
  }

  /** A verified person's later check: a new photo against the stored name and number. */
  recheckFace(faceImage: string): Promise<RealNameStatus> {
    return this.json('POST', '/me/real-name/face', { auth: true, body: { face_image: faceImage } });
  }

  // ---------------------------------------------------------------- streamer applications
  async streamerApplication(): Promise<StreamerApplication | null> {
    const answer = await this.json<{ application: StreamerApplication | null }>(
      'GET',
      '/streamer/application',
      { auth: true },
    );
    return answer.application;
  }

  async applyAsStreamer(request: ApplicationRequest): Promise<StreamerApplication> {
    const answer = await this.json<{ application: StreamerApplication }>(
      'POST',
      '/streamer/application',
      { auth: true, body: request },
    );
    return answer.application;
  }

  /** Staff only (`staff_only` otherwise). */
  async streamerApplications(status: ApplicationStatus): Promise<StreamerApplication[]> {
    const answer = await this.json<{ applications: StreamerApplication[] }>(
      'GET',
      '/staff/streamer-applications',
      { auth: true, query: { status } },
    );
    return answer.applications;
  }

  /** Staff only; a rejection needs a reason of at least 2 characters. */
  async decideApplication(id: string, approve: boolean, reason?: string): Promise<StreamerApplication> {
    const body: { approve: boolean; reason?: string } = { approve };
    if (reason !== undefined) body.reason = reason;
    const answer = await this.json<{ application: StreamerApplication }>(
      'POST',
      `/staff/streamer-applications/${encodeURIComponent(id)}/decision`,
      { auth: true, body },
    );
    return answer.application;
  }

  // ---------------------------------------------------------------- notices
  notices(): Promise<NoticeList> {
    return this.json('GET', '/me/notices', { auth: true });
  }

  markNoticeRead(id: string): Promise<void> {
    return this.empty('POST', `/me/notices/${encodeURIComponent(id)}/read`, { auth: true });
  }

  // ---------------------------------------------------------------- live rooms
  async rooms(status: 'live' | 'scheduled'): Promise<Room[]> {
    const answer = await this.json<{ rooms: Room[] }>('GET', '/rooms', { query: { status } });
    return answer.rooms;
  }

  async myRooms(): Promise<Room[]> {
    const answer = await this.json<{ rooms: Room[] }>('GET', '/rooms/mine', { auth: true });
    return answer.rooms;
  }

  async room(id: string): Promise<Room> {
    const answer = await this.json<{ room: Room }>('GET', `/rooms/${encodeURIComponent(id)}`, { auth: true });
    return answer.room;
  }

  async createRoom(request: CreateRoomRequest): Promise<Room> {
    const answer = await this.json<{ room: Room }>('POST', '/rooms', { auth: true, body: request });
    return answer.room;
  }

  async updateRoom(id: string, patch: RoomPatch): Promise<Room> {
    const answer = await this.json<{ room: Room }>('PATCH', `/rooms/${encodeURIComponent(id)}`, {
      auth: true,
      body: patch,
    });
    return answer.room;
  }

  goLive(id: string): Promise<GoLiveResult> {
    return this.json('POST', `/rooms/${encodeURIComponent(id)}/live`, { auth: true });
  }

  async endRoom(id: string): Promise<Room> {
    const answer = await this.json<{ room: Room }>('POST', `/rooms/${encodeURIComponent(id)}/end`, { auth: true });
    return answer.room;
  }

  async publishCredential(id: string): Promise<PublishCredential> {
    const answer = await this.json<{ publish: PublishCredential }>('POST', `/rooms/${encodeURIComponent(id)}/publish-credential`, {
      auth: true,
    });
    return answer.publish;
  }

  /**
   * WHIP (RFC 9725): sends the SDP offer with the live session's publish credential (never the
   * login session) and returns the answer and the resource to DELETE when publishing stops.
   */
  async whipPublish(roomId: string, credential: string, offer: string): Promise<{ answer: string; resource: string }> {
    const response = await this.sdpRequest('POST', `${this.base}/rooms/${encodeURIComponent(roomId)}/whip`, credential, offer);
    const resource = response.headers.get('Location');
    if (!resource) throw new ApiError(CLIENT_ERROR_CODES.badResponse, response.status, null);
    return { answer: await response.text(), resource };
  }

  /** Ends a WHIP stream or a WHEP viewer; its resource URL is the capability, no token is needed. */
  async stopMedia(resource: string): Promise<void> {
    if (!resource.startsWith(`${this.base}/rooms/`)) return;
    await this.empty('DELETE', resource.slice(this.base.length), { keepalive: true });
  }

  /**
   * WHEP, server-offer exchange (docs/api.md): an empty POST returns the server's offer and the
   * resource; the answer goes to the resource. `credential`: a session token or a viewing ticket.
   */
  async whepOffer(roomId: string, credential: string): Promise<WhepOffer> {
    return this.whepOfferAt(`${this.base}/rooms/${encodeURIComponent(roomId)}/whep`, credential);
  }

  /** The host's unmasked view of a masked co-host: the host's login session alone opens it. */
  async unmaskedCohostOffer(roomId: string, requestId: string, session: string): Promise<WhepOffer> {
    const room = encodeURIComponent(roomId);
    return this.whepOfferAt(`${this.base}/rooms/${room}/cohost-requests/${encodeURIComponent(requestId)}/whep`, session);
  }

  private async whepOfferAt(url: string, credential: string): Promise<WhepOffer> {
    const response = await this.sdpRequest('POST', url, credential, undefined);
    const resource = response.headers.get('Location');
    if (!resource) throw new ApiError(CLIENT_ERROR_CODES.badResponse, response.status, null);
    return { offer: await response.text(), resource };
  }

  async whepAnswer(resource: string, answer: string): Promise<void> {
    await this.sdpRequest('PATCH', resource, null, answer);
  }

  /** The room's HLS playlist: public, like the room. */
  hlsUrl(roomId: string): string {
    return `${this.base}/rooms/${encodeURIComponent(roomId)}/hls/index.m3u8`;
  }

  /** An anonymous viewing ticket for the room channel; nothing is stored on the server. */
  async watchTicket(id: string): Promise<string> {
    const answer = await this.json<{ token: string }>('POST', `/rooms/${encodeURIComponent(id)}/watch`);
    return answer.token;
  }

  async askToCohost(id: string, masked: boolean): Promise<CohostRequest> {
    const answer = await this.json<{ request: CohostRequest }>(
      'POST',
      `/rooms/${encodeURIComponent(id)}/cohost-requests`,
      { auth: true, body: { masked } },
    );
    return answer.request;
  }

  async cohostRequests(id: string): Promise<CohostRequest[]> {
    const answer = await this.json<{ requests: CohostRequest[] }>(
      'GET',
      `/rooms/${encodeURIComponent(id)}/cohost-requests`,
      { auth: true },
    );
    return answer.requests;
  }

  async decideCohost(id: string, request: string, approve: boolean): Promise<CohostRequest> {
    const answer = await this.json<{ request: CohostRequest }>(
      'POST',
      `/rooms/${encodeURIComponent(id)}/cohost-requests/${encodeURIComponent(request)}/decision`,
      { auth: true, body: { approve } },
    );
    return answer.request;
  }

  async endCohost(id: string, request: string): Promise<CohostRequest> {
    const answer = await this.json<{ request: CohostRequest }>(
      'POST',
      `/rooms/${encodeURIComponent(id)}/cohost-requests/${encodeURIComponent(request)}/end`,
      { auth: true },
    );
    return answer.request;
  }

  /** The server answers 204 (no body) or JSON, depending on the action. */
  moderate(id: string, request: ModerationRequest): Promise<void> {
    return this.empty('POST', `/rooms/${encodeURIComponent(id)}/moderation`, { auth: true, body: request });
  }

  report(request: ReportRequest): Promise<void> {
    return this.empty('POST', '/reports', { auth: true, body: request });
  }

  async staffReports(status: ReportStatus): Promise<Report[]> {
    const answer = await this.json<{ reports: Report[] }>('GET', '/staff/reports', { auth: true, query: { status } });
    return answer.reports;
  }

  decideReport(id: string, action: ReportAction, reason?: string, minutes?: number): Promise<void> {
    const body: { action: ReportAction; reason?: string; minutes?: number } = { action };
    if (reason) body.reason = reason;
    if (minutes !== undefined) body.minutes = minutes;
    return this.empty('POST', `/staff/reports/${encodeURIComponent(id)}/decision`, { auth: true, body });
  }

  async publicPenalties(): Promise<PublicPenalty[]> {
    const answer = await this.json<{ penalties: PublicPenalty[] }>('GET', '/penalties/public');
    return answer.penalties;
  }

  // ---------------------------------------------------------------- room lotteries
  /** The host, while live. */
  async openLottery(roomId: string, prize: string, winners: number): Promise<Lottery> {
    const answer = await this.json<{ lottery: Lottery }>('POST', `/rooms/${encodeURIComponent(roomId)}/lotteries`, {
      auth: true,
      body: { prize, winners },
    });
    return answer.lottery;
  }

  /** Anyone: the room's lotteries, newest first, with winners' cards once drawn. */
  async roomLotteries(roomId: string): Promise<Lottery[]> {
    const answer = await this.json<{ lotteries: Lottery[] }>('GET', `/rooms/${encodeURIComponent(roomId)}/lotteries`);
    return answer.lotteries;
  }

  /** Anyone; with a session the answer says whether the caller entered and won (`you`). */
  async lottery(id: string): Promise<Lottery> {
    const answer = await this.json<{ lottery: Lottery }>('GET', `/lotteries/${encodeURIComponent(id)}`, { auth: true });
    return answer.lottery;
  }

  /** A signed-in viewer connected to the room's channel; entering twice changes nothing. */
  enterLottery(id: string): Promise<void> {
    return this.empty('POST', `/lotteries/${encodeURIComponent(id)}/entries`, { auth: true });
  }

  drawLottery(id: string): Promise<LotteryDraw> {
    return this.json('POST', `/lotteries/${encodeURIComponent(id)}/draw`, { auth: true });
  }

  /** A winner: sealed under their key, read only by the host to send the prize. */
  submitDelivery(id: string, delivery: DeliveryRequest): Promise<void> {
    return this.empty('PUT', `/lotteries/${encodeURIComponent(id)}/delivery`, { auth: true, body: delivery });
  }

  /** The host; every read is audited on the server. */
  async deliveries(id: string): Promise<Delivery[]> {
    const answer = await this.json<{ deliveries: Delivery[] }>(
      'GET',
      `/lotteries/${encodeURIComponent(id)}/deliveries`,
      { auth: true },
    );
    return answer.deliveries;
  }

  /** The host: the prize is sent; the 30 days of retention start now. */
  markDelivered(id: string, entryId: string): Promise<void> {
    return this.empty(
      'POST',
      `/lotteries/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(entryId)}/delivered`,
      { auth: true },
    );
  }

  // ---------------------------------------------------------------- wallet and gifts
  wallet(): Promise<Wallet> {
    return this.json('GET', '/wallet', { auth: true });
  }

  /** One `requestId` per person's action: the same id again answers the same order. */
  async recharge(amountCents: number, requestId: string): Promise<RechargeOrder> {
    const answer = await this.json<{ order: RechargeOrder }>('POST', '/wallet/recharges', {
      auth: true,
      body: { amount_cents: amountCents, request_id: requestId },
    });
    return answer.order;
  }

  async rechargeOrder(orderNo: string): Promise<RechargeOrder> {
    const answer = await this.json<{ order: RechargeOrder }>(
      'GET',
      `/wallet/recharges/${encodeURIComponent(orderNo)}`,
      { auth: true },
    );
    return answer.order;
  }

  /** A host's earnings, after a face check in the last 10 minutes (`identity_check_required`). */
  async withdraw(coins: number, requestId: string): Promise<Withdrawal> {
    const answer = await this.json<{ withdrawal: Withdrawal }>('POST', '/wallet/withdrawals', {
      auth: true,
      body: { coins, request_id: requestId },
    });
    return answer.withdrawal;
  }

  gifts(): Promise<GiftCatalogue> {
    return this.json('GET', '/gifts');
  }

  /** The same `requestId` again answers `replayed: true` and moves nothing. */
  sendGift(roomId: string, gift: string, quantity: number, requestId: string): Promise<GiftSent> {
    return this.json('POST', `/rooms/${encodeURIComponent(roomId)}/gifts`, {
      auth: true,
      body: { gift, quantity, request_id: requestId },
    });
  }

  /**
   * What the payment provider sends when it is done: its signed body, posted unchanged. The
   * development checkout page plays the provider's part; a real provider calls the server itself.
   */
  paymentCallback(signed: SignedCallback): Promise<PaymentCallbackResult> {
    return this.json('POST', '/payments/callback', { rawBody: signed.body, headers: signed.headers });
  }

  // ---------------------------------------------------------------- guardian
  guardianCode(guardianPhone: string): Promise<void> {
    return this.empty('POST', '/guardian/code', {
      auth: true,
      body: { guardian_phone: guardianPhone },
    });
  }

  guardianConsent(guardianPhone: string, code: string): Promise<Me> {
    return this.json('POST', '/guardian/consent', {
      auth: true,
      body: { guardian_phone: guardianPhone, code, agree: true },
    });
  }

  // ---------------------------------------------------------------- recordings and clips
  /** The signed-in host's own recordings, newest first. */
  async recordings(): Promise<Recording[]> {
    return (await this.json<{ recordings: Recording[] }>('GET', '/recordings', { auth: true })).recordings;
  }

  deleteRecording(id: string): Promise<void> {
    return this.empty('DELETE', `/recordings/${encodeURIComponent(id)}`, { auth: true });
  }

  /** Replay by HLS: every request needs `replayHeaders()` (hls.js sends them from xhrSetup). */
  recordingPlaylistUrl(id: string): string {
    return `${this.base}/recordings/${encodeURIComponent(id)}/hls/index.m3u8`;
  }

  /** The session as a header, for a player that fetches by itself; empty when signed out. */
  replayHeaders(): Record<string, string> {
    const token = this.getToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  /** Answers once the clip is cut and sealed (about a second). */
  async cutClip(recordingId: string, request: ClipRequest): Promise<Clip> {
    const path = `/recordings/${encodeURIComponent(recordingId)}/clips`;
    return (await this.json<{ clip: Clip }>('POST', path, { auth: true, body: request })).clip;
  }

  async clips(): Promise<Clip[]> {
    return (await this.json<{ clips: Clip[] }>('GET', '/clips', { auth: true })).clips;
  }

  /** A published clip for anyone; an unpublished one for its host only. */
  async clip(id: string): Promise<Clip> {
    return (await this.json<{ clip: Clip }>('GET', `/clips/${encodeURIComponent(id)}`, { auth: true })).clip;
  }

  /** The clip's MP4 (sent with the session, so its host plays it before publishing). */
  async clipMedia(id: string): Promise<Blob> {
    const response = await this.send('GET', `/clips/${encodeURIComponent(id)}/media`, { auth: true });
    return response.blob();
  }

  async publishClip(id: string, published: boolean): Promise<Clip> {
    const path = `/clips/${encodeURIComponent(id)}/publish`;
    return (await this.json<{ clip: Clip }>('POST', path, { auth: true, body: { published } })).clip;
  }

  deleteClip(id: string): Promise<void> {
    return this.empty('DELETE', `/clips/${encodeURIComponent(id)}`, { auth: true });
  }

  // ---------------------------------------------------------------- development servers only
  devOutbox(phone: string): Promise<Outbox> {
    return this.json('GET', '/dev/outbox', { query: { phone } });
  }

  devClock(advanceSeconds: number): Promise<DevClock> {
    return this.json('POST', '/dev/clock', { body: { advance_seconds: advanceSeconds } });
  }

  /** The development payment provider's answer for the caller's own order: paid or not. */
  devPaymentCallback(orderNo: string, paid: boolean): Promise<SignedCallback> {
    return this.json('POST', `/dev/payments/${encodeURIComponent(orderNo)}/callback`, {
      auth: true,
      body: { paid },
    });
  }

  // ---------------------------------------------------------------- plumbing
  private async json<T>(
    method: Method,
    path: string,
    options: RequestOptions = {},
    base = this.base,
  ): Promise<T> {
    const response = await this.send(method, path, options, base);
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(CLIENT_ERROR_CODES.badResponse, response.status, null);
    }
  }

  private async empty(method: Method, path: string, options: RequestOptions): Promise<void> {
    const response = await this.send(method, path, options);
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
  }

  /** WHIP/WHEP: SDP bodies and answers, not JSON; errors are still the API's error bodies. */
  private async sdpRequest(method: Method, url: string, credential: string | null, sdp: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    if (sdp !== undefined) headers['Content-Type'] = 'application/sdp';
    if (credential) headers.Authorization = `Bearer ${credential}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: sdp, credentials: 'omit', cache: 'no-store' });
    } catch {
      throw new ApiError(CLIENT_ERROR_CODES.network, 0, null);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  private async send(
    method: Method,
    path: string,
    options: RequestOptions,
    base = this.base,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
    let body: string | undefined;
    if (options.rawBody !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = options.rawBody;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (options.auth) {
      const token = this.getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
    }
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';

    let response: Response;
    try {
      response = await fetch(`${base}${path}${query}`, {
        method,
        headers,
        body,
        credentials: 'omit',
        cache: 'no-store',
        keepalive: options.keepalive,
      });
    } catch {
      throw new ApiError(CLIENT_ERROR_CODES.network, 0, null);
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // Not JSON (a proxy's page, an empty body): keep the status, no message.
  }
  if (isErrorBody(parsed)) {
    return new ApiError(
      parsed.error.code,
      parsed.error.status ?? response.status,
      { 'zh-CN': parsed.error.message['zh-CN'] ?? '', en: parsed.error.message.en ?? '' },
      retryAfterOf(parsed.error.retry_after),
    );
  }
  return new ApiError(CLIENT_ERROR_CODES.badResponse, response.status, null);
}

function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return sanitizeFilename(decodeURIComponent(extended[1].trim().replace(/^"|"$/g, '')));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(header);
  return plain?.[2] ? sanitizeFilename(plain[2].trim()) : null;
}

function sanitizeFilename(name: string): string | null {
  const cleaned = name.replace(/[/\\\0]/g, '_');
  return cleaned.length > 0 ? cleaned : null;
}
