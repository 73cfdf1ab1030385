// The shapes of docs/api.md, one type per answer. Keep this file in step with that document: it is
// the contract, and these types are how the compiler holds the web app to it.

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** A text the server sends in both languages; the client shows the one the person chose. */
export type LocalizedText = Record<Lang, string>;

export interface ErrorBody {
  /** `retry_after`: seconds until a refusal that ends by itself (a rate limit) no longer applies. */
  error: { code: string; status: number; message: LocalizedText; retry_after?: number };
}

export interface Health {
  status: 'ok';
}

export interface Info {
  name: string;
  dev: boolean;
  policy_version: string;
}

export type Basis =
  | 'consent'
  | 'separate_consent'
  | 'contract'
  | 'legal_obligation'
  | 'vital_interest'
  | 'public_info';

export type SeparateKind =
  | 'sensitive'
  | 'third_party'
  | 'public_disclosure'
  | 'cross_border'
  | 'minor';

export interface Purpose {
  id: string;
  feature: string;
  basis: Basis;
  necessary: boolean;
  /** "guardian": a child's separate consent, given or withdrawn only by the guardian. */
  given_by: 'person' | 'guardian';
  separate: SeparateKind[];
  name: LocalizedText;
  description: LocalizedText;
}

export interface Policy {
  version: string;
  /** YYYY-MM-DD the version took effect (sent by the server, not yet in docs/api.md). */
  effective?: string;
  text_sha256: string;
  summary: LocalizedText;
  purposes: Purpose[];
}

export type DocumentId = 'privacy-policy' | 'collected-pi' | 'third-parties' | 'permissions';
export const DOCUMENT_IDS: readonly DocumentId[] = [
  'privacy-policy',
  'collected-pi',
  'third-parties',
  'permissions',
];

export interface DocumentTable {
  columns: string[];
  rows: string[][];
}

export interface DocumentSection {
  heading: string;
  paragraphs: string[];
  table?: DocumentTable;
}

export interface PolicyDocument {
  id: DocumentId;
  lang: Lang;
  title: string;
  version: string;
  sections: DocumentSection[];
}

export interface PublicKey {
  algorithm: 'Ed25519';
  public_key: string;
}

export interface CodeSent {
  expires_in: number;
  resend_after: number;
}

export interface ConsentGiven {
  policy_version: string;
  purposes: string[];
}

export interface VerifyRequest {
  phone: string;
  code: string;
  /** Required when the phone has no account yet (`consent_required`). */
  consent?: ConsentGiven;
  /** YYYY-MM-DD */
  birth_date?: string;
}

/** A role a person adds or removes themselves (POST /me/roles). */
export type ChoosableRole = 'viewer' | 'job_seeker' | 'recruiter' | 'lecturer' | 'examinee';
/** Given, never chosen: `streamer` by an approved application, `staff` by an operator
 * (`veil admin grant-staff`). */
export type GrantedRole = 'streamer' | 'staff';
export type Role = ChoosableRole | GrantedRole;
export const ROLES: readonly ChoosableRole[] = [
  'viewer',
  'job_seeker',
  'recruiter',
  'lecturer',
  'examinee',
];

export type Gender = 'female' | 'male' | 'other';
export const GENDERS: readonly Gender[] = ['female', 'male', 'other'];

export interface Profile {
  nickname?: string | null;
  gender?: Gender | null;
  hometown?: string | null;
  industry?: string | null;
  intro?: string | null;
  avatar_url?: string | null;
}

/** PATCH /me/profile: any subset; `null` clears a field. */
export type ProfilePatch = { [K in keyof Profile]?: Profile[K] | null };

export type AccountStatus = 'active' | 'awaiting_guardian';

export interface Me {
  id: string;
  phone_masked: string;
  status: AccountStatus;
  minor: boolean;
  roles: Role[];
  has_password: boolean;
  profile: Profile;
  /** Sent by the server, not yet in docs/api.md. */
  created_at?: number;
  /** Whether the `profile` purpose is granted (sent by the server, not yet in docs/api.md). */
  profile_consent?: boolean;
}

export interface LoginResult {
  token: string;
  created: boolean;
  account: Me;
}

export interface PurposeState {
  id: string;
  granted: boolean;
  necessary: boolean;
  given_by: 'person' | 'guardian';
  /** Milliseconds since the epoch of the last grant or withdrawal; absent when never chosen. */
  at?: number | null;
}

export interface ConsentRecord {
  seq: number;
  action: string;
  /** Sent by the server, not yet in docs/api.md. */
  policy_version?: string;
  channel?: string;
  purposes: string[];
  at: number;
  hash: string;
}

/** GET /me/data: what is held about the person, by data-map category (docs/api.md). */
export interface HeldValue {
  column: string;
  held_as: 'plain' | 'sealed' | 'indexed' | 'hashed' | 'binary';
  /** False when nothing is stored in this column. */
  stored: boolean;
  value: string | null;
  /** Present for a declared personal field; absent for a non-personal column (context). */
  field?: string;
  name?: LocalizedText;
  category?: string;
}

export interface HeldCategory {
  id: string | null;
  name?: LocalizedText;
  sensitive?: boolean;
  records: { table: string; values: HeldValue[] }[];
}

export interface HeldData {
  categories: HeldCategory[];
}

export interface ConsentState {
  policy_version: string;
  purposes: PurposeState[];
  records: ConsentRecord[];
}

export interface ConsentChange {
  grant?: string[];
  withdraw?: string[];
}

/** A signed consent receipt as the file the server offers for download. */
export interface ReceiptFile {
  blob: Blob;
  filename: string;
}

export interface OutboxMessage {
  at: number;
  text: string;
}

export interface Outbox {
  messages: OutboxMessage[];
}

export interface DevClock {
  now: number;
}

// ---------------------------------------------------------------- real-name verification

/** GET/POST /me/real-name: only masks ever leave the server. */
export interface RealNameStatus {
  verified: boolean;
  name_masked?: string;
  id_number_masked?: string;
  verified_at?: number;
  face_checked_at?: number;
}

export interface RealNameRequest {
  name: string;
  id_number: string;
  /** `data:image/jpeg;base64,…` (JPEG or PNG, at most 1 MiB). */
  face_image: string;
}

// ---------------------------------------------------------------- streamer applications

export type LiveScope = 'career' | 'recruitment' | 'lecture' | 'entertainment';
export const LIVE_SCOPES: readonly LiveScope[] = ['career', 'recruitment', 'lecture', 'entertainment'];

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export const APPLICATION_STATUSES: readonly ApplicationStatus[] = ['pending', 'approved', 'rejected'];

export interface StreamerApplication {
  id: string;
  /** Masked in the applicant's own view; in full for staff. */
  name: string;
  scope: LiveScope;
  intro: string;
  status: ApplicationStatus;
  /** Only when rejected. */
  reason?: string;
  submitted_at: number;
  decided_at?: number;
  /** Staff view only. */
  account_id?: string;
}

export interface ApplicationRequest {
  /** Omitted when the person is real-name verified: the verified name is reused. */
  name?: string;
  scope: string;
  intro: string;
}

// ---------------------------------------------------------------- notices

/**
 * A notice's body holds parameters only (`streamer_rejected`: `{"reason"}`); the client words it
 * in the reader's language. Kinds so far: `streamer_approved`, `streamer_rejected`, `penalty`
 * (`kind`, `reason`, `scope`, `room_title`, `until`?), `lottery_won` (`prize`, `room_title`, `lottery_id`).
 */
export interface Notice {
  id: string;
  kind: string;
  body: Record<string, unknown>;
  created_at: number;
  read: boolean;
}

export interface NoticeList {
  notices: Notice[];
  unread: number;
}

// ---------------------------------------------------------------- live rooms

export type RoomMode = 'video' | 'voice' | 'screen';
export const ROOM_MODES: readonly RoomMode[] = ['video', 'voice', 'screen'];
export type RoomStatus = 'scheduled' | 'live' | 'ended';

export interface RoomSettings {
  comments_need_real_name: boolean;
  slow_mode_seconds: number;
}

export interface Room {
  id: string;
  title: string;
  mode: RoomMode;
  status: RoomStatus;
  /** The nickname and avatar only while the host's profile consent stands. */
  host: { id: string; nickname?: string; avatar_url?: string };
  settings: RoomSettings;
  scheduled_at?: number;
  live_since?: number;
  viewers: number;
}

export interface CreateRoomRequest {
  title: string;
  mode?: RoomMode;
  scheduled_at?: number;
}

export interface RoomPatch {
  title?: string;
  settings?: Partial<RoomSettings>;
}

/** WHEP, server-offer exchange: the server's SDP offer and the resource the answer goes to. */
export interface WhepOffer {
  offer: string;
  resource: string;
}

export interface PublishCredential {
  grant_id: string;
  token: string;
  expires_at: number;
  /** The same credential as an RTMP encoder's (OBS) settings; absent when the server has no RTMP. */
  rtmp?: { url: string; stream_key: string };
}

export interface GoLiveResult {
  room: Room;
  publish: PublishCredential;
}

/** A person as a room shows them: a pseudonym, and card fields only with their profile consent. */
export interface PresenceCard {
  viewer: string;
  nickname?: string;
  avatar_url?: string;
}

export type CohostStatus = 'pending' | 'approved' | 'denied' | 'ended';

export interface CohostRequest {
  id: string;
  masked: boolean;
  status: CohostStatus;
  created_at: number;
  card?: PresenceCard;
}

export type ModerationAction = 'delete_message' | 'mute' | 'ban' | 'kick';

export interface ModerationRequest {
  action: ModerationAction;
  message_id?: string;
  viewer?: string;
  minutes?: number;
  reason: string;
}

export type ReportReason = 'spam' | 'abuse' | 'illegal' | 'privacy' | 'minor_safety' | 'other';
export const REPORT_REASONS: readonly ReportReason[] = ['spam', 'abuse', 'illegal', 'privacy', 'minor_safety', 'other'];

export interface ReportRequest {
  room_id: string;
  message_id?: string;
  viewer?: string;
  reason: ReportReason;
  note?: string;
}

export type ReportStatus = 'open' | 'dismissed' | 'actioned';

export interface Report {
  id: string;
  room_id: string;
  reason: ReportReason;
  note?: string;
  status: ReportStatus;
  created_at: number;
  message?: { id: string; text: string };
}

export type ReportAction = 'dismiss' | 'platform_mute' | 'platform_ban';

export interface PublicPenalty {
  kind: string;
  reason: string;
  scope: string;
  created_at: number;
  until?: number;
}

// ---------------------------------------------------------------- room lotteries (C11)

export type LotteryStatus = 'open' | 'drawn';

export interface Lottery {
  id: string;
  room_id: string;
  prize: string;
  status: LotteryStatus;
  winners_count: number;
  entries: number;
  /** After the draw: the SHA-256 of the sorted entry ids, as the audit entry holds it. */
  entries_sha256?: string;
  /** After the draw, on reads: the winners' cards. */
  winners?: PresenceCard[];
  /** With a session only: where the caller stands. */
  you?: { entered: boolean; won: boolean; delivery_submitted: boolean };
}

/** docs/api.md: a prize of 2–60 characters, 1–100 winners. */
export const LOTTERY_PRIZE_MIN = 2;
export const LOTTERY_PRIZE_MAX = 60;
export const LOTTERY_WINNERS_MAX = 100;

export interface LotteryDraw {
  lottery: Lottery;
  winners: PresenceCard[];
}

export interface DeliveryRequest {
  name: string;
  phone: string;
  address: string;
}

/** One winner's delivery as the host reads it; the details only once the winner gave them. */
export interface Delivery {
  entry_id: string;
  submitted: boolean;
  name?: string;
  phone?: string;
  address?: string;
  delivered_at?: number;
}

// ---------------------------------------------------------------- wallet and gifts (C9, C10, B6)

/** What a ledger line records: coins bought, a gift sent or received, earnings withdrawn. */
export type LedgerKind = 'recharge' | 'gift' | 'withdrawal';

/** One movement on one of the person's two wallets: `coins` (to spend) or `earnings` (a host's). */
export interface LedgerLine {
  transaction_id: string;
  kind: LedgerKind;
  wallet: 'coins' | 'earnings';
  /** Coins to that wallet; negative when they left it. */
  amount: number;
  /** recharge: the order number; gift: the room id; withdrawal: the withdrawal id. */
  reference: string;
  /** gift: `{gift, quantity, room}`; withdrawal: `{coins}`; recharge: `{}`. */
  detail: { gift?: string; quantity?: number; room?: string; coins?: number };
  at: number;
}

export interface Withdrawal {
  id: string;
  coins: number;
  amount_cents: number;
  status: string;
  created_at: number;
}

export interface RechargeAmount {
  amount_cents: number;
  coins: number;
}

export interface Wallet {
  coins: number;
  earnings: number;
  /** The newest 50 lines. */
  lines: LedgerLine[];
  withdrawals: Withdrawal[];
  recharge_amounts: RechargeAmount[];
  min_withdrawal_coins: number;
}

export type RechargeStatus = 'pending' | 'paid' | 'failed';

export interface RechargeOrder {
  order_no: string;
  amount_cents: number;
  coins: number;
  status: RechargeStatus;
  created_at: number;
  settled_at?: number;
  /** Only while pending: where the payer pays (the development provider: `/#/wallet/checkout?order=…`). */
  pay_url?: string;
}

/** What the development payment provider would send to the callback, signed (dev servers only). */
export interface SignedCallback {
  /** Posted as it is: the signature covers these exact bytes. */
  body: string;
  headers: Record<string, string>;
}

export interface PaymentCallbackResult {
  order_no: string;
  status: RechargeStatus;
}

export interface GiftKind {
  id: string;
  price: number;
}

export interface GiftCatalogue {
  gifts: GiftKind[];
  max_quantity: number;
}

export interface GiftSent {
  gift: { id: string; gift: string; quantity: number; coins: number };
  /** The sender's coins after the gift. */
  balance: number;
  /** The same request id was answered before: nothing moved this time. */
  replayed: boolean;
}

/** A gift as the room channel announces it to everyone in the room. */
export interface GiftEvent {
  seq: number;
  id: string;
  gift: string;
  quantity: number;
  coins: number;
  from: PresenceCard;
}

// ---------------------------------------------------------------- recordings and clips
/** A live session's recording ([000] (3) 直播录像, kept 60 days), as its host sees it. */
export interface Recording {
  id: string;
  room_id: string;
  room_title: string;
  status: 'recording' | 'ready' | 'failed';
  duration_ms: number;
  bytes: number;
  created_at: number;
  /** Roles and masks only: who they were stays with the server. */
  participants: { role: 'host' | 'cohost'; masked: boolean }[];
  playlist_url: string;
}

export interface ClipRequest {
  title: string;
  start_ms: number;
  end_ms: number;
}

export interface Clip {
  id: string;
  title: string;
  duration_ms: number;
  created_at: number;
  published_at: number | null;
  media_url: string;
  /** The clip's host sees where it came from; also `mine` from GET /clips/{id}. */
  recording_id?: string;
  start_ms?: number;
  end_ms?: number;
  mine?: boolean;
}
