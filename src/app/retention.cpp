#include "app/retention.hpp"

namespace veil::app {

Result<RetentionReport> sweep_retention(Platform& platform) {
  RetentionReport report;
  report.rows = VEIL_TRY(engine::sweep_expired(platform.db(), platform.engine().map(), platform.engine().audit(),
                                                platform.clock().now()));
  report.recordings_closed =
      VEIL_TRY(close_abandoned_recordings(platform.recordings(), platform.config().data_dir / "media", platform.clock().now()));
  report.media_files = VEIL_TRY(remove_orphaned_media(platform.recordings(), platform.config().data_dir / "media"));
  return report;
}

}  // namespace veil::app
