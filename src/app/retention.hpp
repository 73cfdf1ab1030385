#pragma once
// The retention sweep as `veil serve` (hourly) and `veil sweep` run it: the engine's sweep of rows
// past their data-map period, then the media files whose rows went with them (recordings and clips
// after 60 days, [000] (3); an account's deletion takes its rows by cascade, this their files).
#include "app/platform.hpp"
#include "app/recording_library.hpp"
#include "engine/retention/retention_sweeper.hpp"

namespace veil::app {

struct RetentionReport {
  engine::SweepReport rows;
  OrphanedMedia media_files;
  std::int64_t recordings_closed = 0;  // left running by a stopped process
};

Result<RetentionReport> sweep_retention(Platform& platform);

}  // namespace veil::app
