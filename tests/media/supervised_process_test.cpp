#include "media/supervised_process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <thread>

namespace veil::media {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Each test's folder: veil-supervised-XXXXXX under /tmp.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("veil-supervised") {}
};

SupervisedProcessOptions sleeper(const TempDir& dir) {
  SupervisedProcessOptions options;
  options.name = "sleeper";
  options.argv = {"/usr/bin/sleep", "1000"};
  options.work_dir = dir.path();
  options.initial_backoff = 100ms;
  options.max_backoff = 2s;
  options.healthy_after = 10s;
  options.stop_timeout = 2s;
  return options;
}

// Polls until `condition` holds; false after `timeout`.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// Live (not zombie) members of a process group, from /proc: an orphaned grandchild's zombie is
// its new parent's to reap, not ours.
int live_members(pid_t group) {
  int count = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto end_of_name = line.rfind(')');
    if (end_of_name == std::string::npos) continue;
    std::istringstream fields(line.substr(end_of_name + 2));
    char state = 0;
    long parent = 0, process_group = 0;
    fields >> state >> parent >> process_group;
    if (process_group == group && state != 'Z') ++count;
  }
  return count;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Kills the child and returns how long until a new one runs.
std::chrono::milliseconds restart_gap(SupervisedProcess& process) {
  const pid_t before = process.pid();
  const auto killed_at = Clock::now();
  ::kill(before, SIGKILL);
  EXPECT_TRUE(eventually([&] { return process.pid() != 0 && process.pid() != before; }));
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - killed_at);
}

TEST(SupervisedProcess, RestartsAChildThatDiesWithGrowingBackoffAndCallsOnStartedEachTime) {
  TempDir dir;
  std::atomic<int> started{0};
  auto options = sleeper(dir);
  options.on_started = [&] { ++started; };
  auto process = SupervisedProcess::create(options);
  ASSERT_TRUE(process.ok()) << process.error().detail;
  ASSERT_TRUE(eventually([&] { return started == 1; }));
  EXPECT_TRUE((*process)->running());

  const auto first_gap = restart_gap(**process);
  ASSERT_TRUE(eventually([&] { return started == 2; }));
  const auto second_gap = restart_gap(**process);
  ASSERT_TRUE(eventually([&] { return started == 3; }));

  EXPECT_EQ((*process)->restarts(), 2);
  EXPECT_GE(first_gap, 100ms);   // the initial backoff
  EXPECT_GE(second_gap, 200ms);  // doubled
  EXPECT_LT(first_gap, 1500ms);
}

TEST(SupervisedProcess, BackoffStartsOverAfterAHealthyRun) {
  TempDir dir;
  auto options = sleeper(dir);
  options.initial_backoff = 300ms;
  options.healthy_after = 200ms;
  auto process = SupervisedProcess::create(options);
  ASSERT_TRUE(process.ok()) << process.error().detail;
  for (int i = 0; i < 2; ++i) {
    std::this_thread::sleep_for(250ms);  // longer than healthy_after
    const auto gap = restart_gap(**process);
    EXPECT_GE(gap, 300ms);
    EXPECT_LT(gap, 550ms) << "run " << i << " was healthy, the backoff should not have doubled";
  }
}

TEST(SupervisedProcess, StopEndsTheChildAndReapsIt) {
  TempDir dir;
  auto process = SupervisedProcess::create(sleeper(dir));
  ASSERT_TRUE(process.ok()) << process.error().detail;
  const pid_t pid = (*process)->pid();
  ASSERT_GT(pid, 0);
  EXPECT_EQ(::getpgid(pid), pid) << "the child leads its own process group";

  (*process)->stop();
  EXPECT_FALSE((*process)->running());
  EXPECT_EQ((*process)->pid(), 0);
  EXPECT_FALSE(process_exists(pid)) << "stopped and reaped: not even a zombie is left";
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ((*process)->restarts(), 0) << "a stopped child is not restarted";
}

TEST(SupervisedProcess, StopKillsAChildIgnoringSigtermAndEverythingInItsGroup) {
  TempDir dir;
  auto options = sleeper(dir);
  // A shell that ignores SIGTERM, with a grandchild that inherits that.
  options.argv = {"/bin/sh", "-c", "trap '' TERM; /usr/bin/sleep 1000 & wait"};
  options.stop_timeout = 300ms;
  auto process = SupervisedProcess::create(options);
  ASSERT_TRUE(process.ok()) << process.error().detail;
  const pid_t group = (*process)->pid();
  ASSERT_TRUE(eventually([&] { return live_members(group) == 2; })) << "the shell and its sleep";

  const auto began = Clock::now();
  (*process)->stop();
  EXPECT_GE(Clock::now() - began, 300ms) << "SIGTERM was ignored, so stop waited for the timeout";
  EXPECT_LT(Clock::now() - began, 3s);
  EXPECT_TRUE(eventually([&] { return live_members(group) == 0; }, 2s))
      << "nothing of the child's process group survives";
}

TEST(SupervisedProcess, WritesTheChildsOutputToItsLogFile) {
  TempDir dir;
  auto options = sleeper(dir);
  options.argv = {"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exec /usr/bin/sleep 1000"};
  auto process = SupervisedProcess::create(options);
  ASSERT_TRUE(process.ok()) << process.error().detail;
  const auto log = (*process)->log_path();
  EXPECT_EQ(log, dir.path() / "sleeper.log");
  EXPECT_TRUE(eventually([&] {
    const auto text = read_file(log);
    return text.find("to-stdout") != std::string::npos &&
           text.find("to-stderr") != std::string::npos;
  }));
}

TEST(SupervisedProcess, ChildDoesNotInheritVeilsEnvironment) {
  TempDir dir;
  // Tests run one at a time in this binary; nothing else reads the environment meanwhile.
  ::setenv("VEIL_TEST_SECRET", "must-not-leak", 1);  // NOLINT(concurrency-mt-unsafe)
  auto options = sleeper(dir);
  options.argv = {"/bin/sh", "-c", "echo env-start; env; echo env-end; exec /usr/bin/sleep 1000"};
  auto process = SupervisedProcess::create(options);
  ::unsetenv("VEIL_TEST_SECRET");  // NOLINT(concurrency-mt-unsafe)
  ASSERT_TRUE(process.ok()) << process.error().detail;
  ASSERT_TRUE(eventually(
      [&] { return read_file((*process)->log_path()).find("env-end") != std::string::npos; }));
  const auto log = read_file((*process)->log_path());
  EXPECT_EQ(log.find("must-not-leak"), std::string::npos);
  EXPECT_NE(log.find("PATH="), std::string::npos);
}

TEST(SupervisedProcess, BinaryThatCannotStartIsAnError) {
  TempDir dir;
  auto missing = sleeper(dir);
  missing.argv = {"/nonexistent/veil-no-such-binary"};
  auto result = SupervisedProcess::create(missing);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, SupervisedProcess::kSpawnFailed);
  EXPECT_EQ(result.error().code, ErrorCode::Unavailable);

  auto not_executable = sleeper(dir);
  not_executable.argv = {"/etc/hostname"};
  result = SupervisedProcess::create(not_executable);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, SupervisedProcess::kSpawnFailed);

  auto relative = sleeper(dir);
  relative.argv = {"sleep", "1"};
  result = SupervisedProcess::create(relative);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::InvalidArgument);

  auto no_work_dir = sleeper(dir);
  no_work_dir.work_dir = dir.path() / "missing";
  result = SupervisedProcess::create(no_work_dir);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, SupervisedProcess::kSpawnFailed);
}

}  // namespace
}  // namespace veil::media
