#include "modules/live/live_schema.hpp"

namespace veil::live {

std::vector<store::Migration> live_migrations() {
  return {
      {401, "live: streamer applications", R"(
CREATE TABLE streamer_applications (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                                    name_cipher BLOB NOT NULL, scope TEXT NOT NULL, intro TEXT NOT NULL,
                                    status TEXT NOT NULL, reason TEXT, submitted_at BIGINT NOT NULL,
                                    decided_at BIGINT, decided_by TEXT);
CREATE INDEX streamer_applications_by_account ON streamer_applications (account_id, submitted_at);
CREATE INDEX streamer_applications_by_status ON streamer_applications (status, submitted_at);
)"},
      // Settings are the operator's and the host's choices for the room channel (JSON, no PI).
      // A publish grant's token is stored only as a keyed hash; `unmasked_to` records who may
      // receive a masked co-host's clear picture, which the media pipeline enforces.
      {402, "live: rooms, live sessions, publish grants", R"(
CREATE TABLE rooms (id TEXT PRIMARY KEY, owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    title TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, scheduled_at BIGINT,
                    settings TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX rooms_by_status ON rooms (status, scheduled_at);
CREATE INDEX rooms_by_owner ON rooms (owner_id);
CREATE TABLE live_sessions (id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                            mode TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT);
CREATE INDEX live_sessions_by_room ON live_sessions (room_id, started_at);
CREATE TABLE publish_grants (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
                             account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, role TEXT NOT NULL,
                             masked BIGINT NOT NULL, unmasked_to TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
                             expires_at BIGINT NOT NULL, revoked_at BIGINT, created_at BIGINT NOT NULL);
CREATE INDEX publish_grants_by_session ON publish_grants (session_id);
)"},
      {403, "live: room messages", R"(
CREATE TABLE room_messages (id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                            session_id TEXT NOT NULL, author_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                            kind TEXT NOT NULL, text TEXT, at BIGINT NOT NULL, deleted_at BIGINT, deleted_by TEXT);
CREATE INDEX room_messages_by_room ON room_messages (room_id, at);
CREATE INDEX room_messages_by_author ON room_messages (author_id);
)"},
      {404, "live: co-host requests", R"(
CREATE TABLE cohost_requests (id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                              session_id TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                              masked BIGINT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL, decided_at BIGINT);
CREATE INDEX cohost_requests_by_session ON cohost_requests (session_id, status);
)"},
      // Penalties are room-wide (room_id set) or platform-wide; reports point at a message or a
      // person in a room.
      {405, "live: penalties and reports", R"(
CREATE TABLE penalties (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        room_id TEXT, kind TEXT NOT NULL, reason TEXT NOT NULL, until_at BIGINT, created_by TEXT NOT NULL,
                        created_at BIGINT NOT NULL, lifted_at BIGINT);
CREATE INDEX penalties_by_account ON penalties (account_id, kind);
CREATE TABLE reports (id TEXT PRIMARY KEY, reporter_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                      target_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, room_id TEXT NOT NULL,
                      message_id TEXT, reason TEXT NOT NULL, note TEXT, status TEXT NOT NULL, created_at BIGINT NOT NULL,
                      handled_by TEXT, handled_at BIGINT);
CREATE INDEX reports_by_status ON reports (status, created_at);
)"},
      // Filled by the media pipeline (a later issue): a live session's recording, who appears in
      // it (a masked co-host stays masked in it), and the clips a host cuts from it ([000] 录制
      // 视频功能). Kept as live content records for the period the data map declares.
      {406, "live: recordings and clips", R"(
CREATE TABLE recordings (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
                         owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, status TEXT NOT NULL,
                         storage_path TEXT, duration_ms BIGINT, bytes BIGINT, created_at BIGINT NOT NULL);
CREATE INDEX recordings_by_session ON recordings (session_id);
CREATE TABLE recording_participants (recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
                                     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                                     role TEXT NOT NULL, masked BIGINT NOT NULL, PRIMARY KEY (recording_id, account_id));
CREATE TABLE clips (id TEXT PRIMARY KEY, recording_id TEXT NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
                    owner_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, title TEXT NOT NULL,
                    start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, status TEXT NOT NULL, storage_path TEXT,
                    created_at BIGINT NOT NULL, published_at BIGINT);
CREATE INDEX clips_by_recording ON clips (recording_id);
)"},
      {407, "live: lotteries", R"(
CREATE TABLE lotteries (id TEXT PRIMARY KEY, room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
                        session_id TEXT NOT NULL, prize TEXT NOT NULL, winners_count BIGINT NOT NULL, status TEXT NOT NULL,
                        entries_hash TEXT, created_at BIGINT NOT NULL, drawn_at BIGINT);
CREATE INDEX lotteries_by_room ON lotteries (room_id, created_at);
CREATE TABLE lottery_entries (id TEXT PRIMARY KEY, lottery_id TEXT NOT NULL REFERENCES lotteries(id) ON DELETE CASCADE,
                              account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, won BIGINT NOT NULL,
                              entered_at BIGINT NOT NULL, UNIQUE (lottery_id, account_id));
CREATE TABLE lottery_deliveries (entry_id TEXT PRIMARY KEY REFERENCES lottery_entries(id) ON DELETE CASCADE,
                                 account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                                 name_cipher BLOB, phone_cipher BLOB, address_cipher BLOB,
                                 submitted_at BIGINT NOT NULL, delivered_at BIGINT);
)"},
      // Each recording's own key, sealed by the vault under the host's key: shredding the host's key
      // leaves every segment and clip of that host unreadable ([000] (3) 直播录像, C7).
      {408, "live: recording keys", R"(
ALTER TABLE recordings ADD COLUMN key_cipher BLOB;
)"},
  };
}

}  // namespace veil::live
