#include <om/run/borg_create.hpp>

#include <spdlog/spdlog.h>

#include <om/borg/progress.hpp>
#include <om/changes/collector.hpp>
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

// One target's create: its lines to the job's log, and to whoever watches it.
std::function<void(const borg::LogLine&)> watch_create(const CreateWatchers& w, std::size_t i,
                                                       const std::string& target,
                                                       const std::string& dump_name) {
  auto to_log = log_to_job(i == 0 ? &w.terminal : nullptr, target);
  auto* job = i == 0 ? w.job : nullptr;
  auto* collector = i < w.collectors.size() ? w.collectors[i] : nullptr;
  return [to_log, job, collector, dump_name](const borg::LogLine& line) {
    using T = borg::LogLine::Type;
    to_log(line);
    if (collector != nullptr) {
      if (line.type == T::file_status)
        collector->on_status(line.message, line.path);
      else if (line.type == T::text && line.message.find("\"file_status\"") != std::string::npos)
        collector->on_unreadable_status();
    }
    if (job != nullptr && line.type == T::archive_progress && line.progress && !line.finished) {
      // The dump is read first; the first other path is the files' turn.
      if (!line.path.empty() && line.path != dump_name)
        job->phase_after("dump", "create");
      job->counts(line.progress->nfiles, line.progress->original_size,
                  line.progress->compressed_size, line.progress->deduplicated_size, line.path);
    }
  };
}

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
                                   const CreateWatchers& watchers) {
  CreateStep step;
  if (watchers.job != nullptr)
    watchers.job->phase(targets.front()->plan.database.empty() ? "create" : "dump");
  step.creates.resize(targets.size()); // the streams below hold references into it
  const bool named = targets.size() > 1;
  std::vector<proc::Command> commands;
  std::vector<proc::Streams> streams;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = *targets[i];
    step.creates[i].what = named ? "borg create (" + t.target.name + ")" : "borg create";
    step.creates[i].ssh_log = t.client.ssh_log();
    auto args = t.plan.create_args;
    if (i < watchers.list_args.size())
      args.insert(args.begin() + 1, watchers.list_args[i].begin(), watchers.list_args[i].end());
    commands.push_back(t.client.command(args));
    // A run killed mid-create leaves borg to finish its archive (sync links it to the job):
    // its progress lines must not be what kills it.
    commands.back().outlives_us = true;
    streams.push_back(borg::Client::collect(
        step.creates[i],
        watch_create(watchers, i, named ? t.target.name : "", targets.front()->plan.dump_name),
        {}));
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
