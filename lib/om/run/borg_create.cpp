#include <om/run/borg_create.hpp>

#include <spdlog/spdlog.h>

#include <om/borg/progress.hpp>
#include <om/db/client_credentials.hpp>
#include <om/proc/pipe.hpp>
#include <om/proc/run.hpp>
#include <om/util/strings.hpp>

namespace om::run {

std::function<void(const borg::LogLine&)> log_to_job(log::ProgressLine* progress,
                                                     const std::string& target) {
  std::string who = target.empty() ? "borg" : "borg[" + target + "]";
  return [progress, who](const borg::LogLine& line) {
    using T = borg::LogLine::Type;
    if (progress != nullptr)
      borg::show_progress(line, *progress);
    if (line.type == T::log_message || line.type == T::text)
      spdlog::info("{}: {}", who, line.message);
  };
}

namespace {

proc::Command dump_command(const BorgBackup& b, const db::ChildDefaultsFile& defaults,
                           std::chrono::milliseconds timeout) {
  proc::Command dump;
  dump.argv = {b.request.mysqldump, db::ChildDefaultsFile::argument()};
  dump.inherit_fd = defaults.fd();
  dump.argv.insert(dump.argv.end(), b.plan.dump_args.begin(), b.plan.dump_args.end());
  dump.timeout = timeout;
  return dump;
}

} // namespace

Result<CreateStep> create_archives(std::span<const BorgBackup* const> targets,
                                   log::ProgressLine& progress) {
  CreateStep step;
  step.creates.resize(targets.size()); // the streams below hold references into it
  const bool named = targets.size() > 1;
  std::vector<proc::Command> commands;
  std::vector<proc::Streams> streams;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = *targets[i];
    step.creates[i].what = named ? "borg create (" + t.target.name + ")" : "borg create";
    step.creates[i].ssh_log = t.client.ssh_log();
    commands.push_back(t.client.command(t.plan.create_args));
    streams.push_back(borg::Client::collect(
        step.creates[i], log_to_job(i == 0 ? &progress : nullptr, named ? t.target.name : ""), {}));
  }
  const auto& first = *targets.front();
  if (first.plan.database.empty()) {
    OM_TRY(outcomes, proc::run_together(commands, streams));
    for (std::size_t i = 0; i < outcomes.size(); ++i)
      step.creates[i].outcome = std::move(outcomes[i]);
    return step;
  }

  OM_TRY(credentials, db::resolve_credentials(first.options.app_db_connection()));
  OM_TRY(defaults, db::ChildDefaultsFile::create(credentials));
  auto dump = dump_command(first, defaults, commands.front().timeout);
  proc::Streams dump_streams;
  dump_streams.on_stderr_line = [&step](std::string_view line) {
    spdlog::info("mysqldump: {}", line);
    if (step.dump_error.empty() && !util::trim(line).empty())
      step.dump_error = util::first_line(line);
  };
  // One reader: a pipe from mysqldump straight into borg. Several: mysqldump's output passes
  // through us into a bounded feed per borg.
  std::vector<proc::Feed> feeds(targets.size() > 1 ? targets.size() : 0);
  if (feeds.empty()) {
    OM_TRY(pipe, proc::make_pipe());
    dump.stdout_fd = pipe.write_end.release();
    commands.front().stdin_fd = pipe.read_end.release();
  } else {
    for (std::size_t i = 0; i < feeds.size(); ++i) {
      commands[i].stdin_feed = &feeds[i];
      dump_streams.throttle.push_back(&feeds[i]);
    }
    dump_streams.on_stdout_data = [&feeds](std::string_view chunk) {
      for (auto& f : feeds)
        f.write(chunk);
    };
    dump_streams.on_stdout_end = [&feeds] {
      for (auto& f : feeds)
        f.close();
    };
  }
  commands.insert(commands.begin(), std::move(dump));
  streams.insert(streams.begin(), std::move(dump_streams));
  OM_TRY(outcomes, proc::run_together(commands, streams));
  step.dump = outcomes[0];
  for (std::size_t i = 0; i < targets.size(); ++i)
    step.creates[i].outcome = std::move(outcomes[i + 1]);
  return step;
}

} // namespace om::run
