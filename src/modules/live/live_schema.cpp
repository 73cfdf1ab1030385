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
  };
}

}  // namespace veil::live
