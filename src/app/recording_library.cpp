#include "app/recording_library.hpp"

#include <set>

#include "media/clip_cutter.hpp"
#include "media/recording_branch.hpp"
#include "media/segment_cipher.hpp"

namespace veil::app {

namespace {

constexpr std::string_view kClipName = "clip.mp4";  // bound into the clip's sealing

bool is_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Storage paths are written by Veil ("recordings/<id>", "clips/<id>.vclip"); anything else is
// refused rather than followed out of the media folder.
bool is_storage_path(std::string_view path) {
  return !path.empty() && path.find("..") == std::string_view::npos && path.front() != '/' &&
         (path.starts_with("recordings/") || path.starts_with("clips/"));
}

std::filesystem::path clip_file(const std::filesystem::path& media_dir, const std::string& clip_id) {
  return media_dir / "clips" / (clip_id + ".vclip");
}

}  // namespace

Result<std::string> RecordingLibrary::replay(const std::string& owner_id, const std::string& recording_id, std::string_view name) {
  live::RecordingInfo recording = VEIL_TRY(books_.get(owner_id, recording_id));
  if (!is_storage_path(recording.storage_path)) return Error{ErrorCode::NotFound, "not_found", "no files"};
  // The key first, even for the plain playlist: once it is shredded nothing of the recording plays.
  SecretBytes key = VEIL_TRY(books_.key(owner_id, recording_id));
  return media::read_recording_segment(media_dir_ / recording.storage_path, recording.id, name, key);
}

Result<live::ClipInfo> RecordingLibrary::cut(const std::string& owner_id, const std::string& recording_id,
                                             const std::string& title, std::int64_t start_ms, std::int64_t end_ms) {
  live::ClipInfo clip = VEIL_TRY(books_.start_clip(owner_id, recording_id, title, start_ms, end_ms));
  std::filesystem::path file = clip_file(media_dir_, clip.id);
  auto sealed = [&]() -> Result<media::ClipCut> {
    live::RecordingInfo recording = VEIL_TRY(books_.get(owner_id, recording_id));
    SecretBytes key = VEIL_TRY(books_.key(owner_id, recording_id));
    std::lock_guard lock(cut_mutex_);
    media::ClipCut cut = VEIL_TRY(media::cut_clip(media_dir_ / recording.storage_path, recording.id, key, start_ms, end_ms));
    media::SegmentCipher cipher = VEIL_TRY(media::SegmentCipher::create(std::move(key)));
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    std::filesystem::permissions(file.parent_path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    VEIL_TRY(cipher.seal_to_file(cut.mp4, file, media::SegmentLabel{clip.id, kClipName}));
    cut.mp4.assign(cut.mp4.size(), '\0');  // the plain MP4 does not linger in freed memory
    return cut;
  }();
  if (!sealed.ok()) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    (void)books_.finish_clip(clip.id, false, 0, 0);
    return sealed.take_error();
  }
  // It ends where asked (the cut keeps every frame before end_ms) and starts on a key frame.
  Status noted = books_.finish_clip(clip.id, true, sealed->start_ms, end_ms);
  if (!noted.ok()) {
    std::error_code ec;
    std::filesystem::remove(file, ec);
    (void)books_.finish_clip(clip.id, false, 0, 0);
    return noted.take_error();
  }
  return books_.clip(owner_id, clip.id);
}

Result<std::string> RecordingLibrary::clip_mp4(const live::ClipInfo& clip) {
  if (!is_storage_path(clip.storage_path)) return Error{ErrorCode::NotFound, "not_found", "no file"};
  SecretBytes key = VEIL_TRY(books_.clip_key(clip));
  media::SegmentCipher cipher = VEIL_TRY(media::SegmentCipher::create(std::move(key)));
  return cipher.open_file(media_dir_ / clip.storage_path, media::SegmentLabel{clip.id, kClipName});
}

void RecordingLibrary::remove_files(const std::string& storage_path) {
  if (!is_storage_path(storage_path)) return;
  std::error_code ec;
  std::filesystem::remove_all(media_dir_ / storage_path, ec);
}

Status RecordingLibrary::remove_recording(const std::string& owner_id, const std::string& recording_id) {
  for (const auto& path : VEIL_TRY(books_.remove(owner_id, recording_id))) remove_files(path);
  return {};
}

Status RecordingLibrary::remove_clip(const std::string& owner_id, const std::string& clip_id) {
  remove_files(VEIL_TRY(books_.remove_clip(owner_id, clip_id)));
  return {};
}

Result<std::int64_t> close_abandoned_recordings(live::Recordings& books, const std::filesystem::path& media_dir, Millis now) {
  std::int64_t closed = 0;
  for (const auto& id : VEIL_TRY(books.abandoned(now - 10 * kMinute))) {
    if (!is_id(id)) continue;
    std::filesystem::path dir = media_dir / "recordings" / id;
    std::int64_t duration_ms = 0, bytes = 0;
    if (auto segments = media::recorded_segments(dir); segments.ok()) {
      for (const auto& segment : *segments) {
        std::error_code ec;
        auto size = std::filesystem::file_size(dir / (segment.name + ".vseg"), ec);
        if (ec) continue;
        duration_ms += segment.duration_ms;
        bytes += static_cast<std::int64_t>(size);
      }
    }
    if (VEIL_TRY(books.finish(id, duration_ms, bytes, false))) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
    ++closed;
  }
  return closed;
}

Result<OrphanedMedia> remove_orphaned_media(live::Recordings& books, const std::filesystem::path& media_dir) {
  // The folders are listed before the rows are read: a recording's row is written before its
  // folder, so one that begins meanwhile is never mistaken for an orphan.
  std::vector<std::filesystem::path> folders, files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(media_dir / "recordings", ec)) folders.push_back(e.path());
  ec.clear();
  for (const auto& e : std::filesystem::directory_iterator(media_dir / "clips", ec)) files.push_back(e.path());
  auto recording_ids = VEIL_TRY(books.recording_ids());
  auto clip_ids = VEIL_TRY(books.clip_ids());
  std::set<std::string> recordings(recording_ids.begin(), recording_ids.end());
  std::set<std::string> clips(clip_ids.begin(), clip_ids.end());
  OrphanedMedia removed;
  for (const auto& folder : folders) {
    std::string id = folder.filename().string();
    if (is_id(id) && recordings.count(id) != 0) continue;
    std::filesystem::remove_all(folder, ec);
    if (!ec) ++removed.recordings;
  }
  for (const auto& file : files) {
    // "<id>.vclip", or a sealing's temporary file beside it (".<id>.vclip.…").
    std::string name = file.filename().string();
    std::string id = name.substr(name.starts_with('.') ? 1 : 0);
    id = id.substr(0, id.find('.'));
    if (is_id(id) && clips.count(id) != 0) continue;
    std::filesystem::remove_all(file, ec);
    if (!ec) ++removed.clips;
  }
  return removed;
}

}  // namespace veil::app
